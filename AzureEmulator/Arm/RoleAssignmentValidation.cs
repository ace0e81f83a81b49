using System.Text.RegularExpressions;
using AzureEmulator.Identity;

namespace AzureEmulator.Arm;

/// <summary>ARM's checks on a role-assignment PUT body, with its error codes.</summary>
public static partial class RoleAssignmentValidation
{
    public readonly record struct Result(ArmError? Error, Guid RoleDefinitionId, Guid PrincipalId, string PrincipalType);

    /// <summary>ARM documents no limit; the emulator's cap keeps one PUT from growing the state file without bound.</summary>
    public const int MaxDescriptionLength = 1024;

    /// <summary>ABAC conditions are small expressions; 8 KB holds any realistic one.</summary>
    public const int MaxConditionLength = 8192;

    /// <summary>The principalType values ARM accepts.</summary>
    public static readonly IReadOnlyList<string> PrincipalTypes = ["User", "Group", "ServicePrincipal", "ForeignGroup", "Device"];

    public static Result Validate(RoleAssignmentCreateProperties body, ArmScope scope, AuthorizationSnapshot state, DirectoryStore directory)
    {
        if (FieldError(body) is { } field)
        {
            return Fail(field);
        }

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

    /// <summary>Checks that need no lookup: lengths and enumerations, each naming the property and what it accepts.</summary>
    public static ArmError? FieldError(RoleAssignmentCreateProperties body)
    {
        if (body.Description?.Length > MaxDescriptionLength)
        {
            return TooLong("description", body.Description.Length, MaxDescriptionLength);
        }

        if (body.Condition?.Length > MaxConditionLength)
        {
            return TooLong("condition", body.Condition.Length, MaxConditionLength);
        }

        if (body.ConditionVersion is not null && body.ConditionVersion != "2.0")
        {
            return new ArmError(400, "InvalidConditionVersion",
                $"The property 'conditionVersion' has the value '{Shorten(body.ConditionVersion)}'; the only accepted value is '2.0'.");
        }

        return PrincipalTypeError(body.PrincipalType);
    }

    public static ArmError? PrincipalTypeError(string? principalType) =>
        string.IsNullOrEmpty(principalType) || PrincipalTypes.Contains(principalType, StringComparer.OrdinalIgnoreCase)
            ? null
            : new ArmError(400, "InvalidRequestContent",
                $"The property 'principalType' has the value '{Shorten(principalType)}'; accepted values are {string.Join(", ", PrincipalTypes)}.");

    private static ArmError TooLong(string property, int length, int limit) => new(400, "InvalidRequestContent",
        $"The property '{property}' is {length} characters long; at most {limit} characters are allowed.");

    // Echoing a megabyte back in an error helps nobody.
    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";

    private static Result Fail(ArmError error) => new(error, Guid.Empty, Guid.Empty, "");

    [GeneratedRegex(@"^(?:/subscriptions/(?<sub>[^/]+))?/providers/Microsoft\.Authorization/roleDefinitions/(?<id>[^/]+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RoleDefinitionIdPattern();
}
