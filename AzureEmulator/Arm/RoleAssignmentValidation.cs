using System.Text.RegularExpressions;
using AzureEmulator.Identity;

namespace AzureEmulator.Arm;

/// <summary>ARM's checks on a role-assignment PUT body, with its error codes.</summary>
public static partial class RoleAssignmentValidation
{
    public readonly record struct Result(ArmError? Error, Guid RoleDefinitionId, Guid PrincipalId, string PrincipalType);

    public static Result Validate(RoleAssignmentCreateProperties body, ArmScope scope, AuthorizationSnapshot state, DirectoryStore directory)
    {
        var match = RoleDefinitionIdPattern().Match(body.RoleDefinitionId ?? "");
        if (!match.Success || !Guid.TryParse(match.Groups["id"].Value, out var roleId)
            || (match.Groups["sub"].Success && !string.Equals(match.Groups["sub"].Value, scope.SubscriptionId, StringComparison.OrdinalIgnoreCase)))
        {
            return Fail(new ArmError(400, "InvalidRoleDefinitionId",
                $"The role definition ID '{body.RoleDefinitionId}' is not valid. Use '/subscriptions/{scope.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{{roleDefinitionGuid}}'."));
        }

        if (!state.Definitions.ContainsKey(roleId))
        {
            return Fail(new ArmError(400, "RoleDefinitionDoesNotExist", $"The specified role definition with ID '{roleId:N}' does not exist."));
        }

        if (!Guid.TryParse(body.PrincipalId, out var principalId))
        {
            return Fail(new ArmError(400, "InvalidPrincipalId", "A valid principal ID must be provided for role assignment."));
        }

        // Like ARM: a caller that names the principal type is not checked against the directory (that is the
        // documented way around Entra replication delay); without it, the principal must exist.
        var directoryType = directory.FindByObjectId(principalId.ToString()) is not null ? "ServicePrincipal"
            : directory.FindGroup(principalId.ToString()) is not null ? "Group"
            : null;
        if (string.IsNullOrEmpty(body.PrincipalType))
        {
            return directoryType is null
                ? Fail(new ArmError(400, "PrincipalNotFound",
                    $"Principal {principalId:N} does not exist in the directory {directory.TenantId}. Check that you have the correct principal ID. " +
                    "If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. " +
                    "In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype"))
                : new Result(null, roleId, principalId, directoryType);
        }

        if (directoryType is not null && !string.Equals(directoryType, body.PrincipalType, StringComparison.OrdinalIgnoreCase))
        {
            return Fail(new ArmError(400, "UnmatchedPrincipalType",
                $"The PrincipalId '{principalId:N}' has type '{directoryType}' , which is different from specified PrincipalType '{body.PrincipalType}'."));
        }

        return new Result(null, roleId, principalId, body.PrincipalType);
    }

    private static Result Fail(ArmError error) => new(error, Guid.Empty, Guid.Empty, "");

    [GeneratedRegex(@"^(?:/subscriptions/(?<sub>[^/]+))?/providers/Microsoft\.Authorization/roleDefinitions/(?<id>[^/]+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RoleDefinitionIdPattern();
}
