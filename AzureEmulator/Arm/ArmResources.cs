using System.Globalization;
using System.Text.Json.Serialization;

namespace AzureEmulator.Arm;

/// <summary>A role assignment exactly as ARM serialises it (api-version 2022-04-01).</summary>
public sealed record RoleAssignmentResource(RoleAssignmentProperties Properties, string Id, string Type, string Name)
{
    public const string ResourceType = "Microsoft.Authorization/roleAssignments";

    public static RoleAssignmentResource From(RoleAssignmentRecord a) => new(
        new RoleAssignmentProperties(
            RoleDefinitionResource.IdAt(a.ParsedScope, a.RoleDefinitionId),
            a.PrincipalId.ToString(),
            a.PrincipalType,
            a.Scope,
            a.Condition,
            a.ConditionVersion,
            Timestamp(a.CreatedOn),
            Timestamp(a.UpdatedOn),
            a.CreatedBy,
            a.UpdatedBy,
            null,
            a.Description),
        IdOf(a.ParsedScope, a.Name),
        ResourceType,
        a.Name.ToString());

    public static string IdOf(ArmScope scope, Guid name) => $"{Prefix(scope)}/providers/{ResourceType}/{name}";

    internal static string Prefix(ArmScope scope) => scope.IsRoot ? "" : scope.Value;

    // ARM writes UTC times with seven fractional digits and a Z.
    internal static string? Timestamp(DateTime? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}

public sealed record RoleAssignmentProperties(
    string RoleDefinitionId,
    string PrincipalId,
    string PrincipalType,
    string Scope,
    string? Condition,
    string? ConditionVersion,
    string? CreatedOn,
    string? UpdatedOn,
    string? CreatedBy,
    string? UpdatedBy,
    string? DelegatedManagedIdentityResourceId,
    string? Description);

/// <summary>A role definition exactly as ARM serialises it.</summary>
public sealed record RoleDefinitionResource(RoleDefinitionProperties Properties, string Id, string Type, string Name)
{
    public const string ResourceType = "Microsoft.Authorization/roleDefinitions";

    public static RoleDefinitionResource From(RoleDefinitionRecord d, ArmScope scope) => new(
        new RoleDefinitionProperties(
            d.RoleName,
            d.Type,
            d.Description,
            d.AssignableScopes,
            d.Permissions,
            RoleAssignmentResource.Timestamp(d.CreatedOn),
            RoleAssignmentResource.Timestamp(d.UpdatedOn),
            d.CreatedBy,
            d.UpdatedBy),
        IdAt(scope, d.Id),
        ResourceType,
        d.Id.ToString());

    /// <summary>Real ARM qualifies role definition ids with the subscription; at tenant level they have none.</summary>
    public static string IdAt(ArmScope scope, Guid id) => scope.SubscriptionId is { } sub
        ? $"/subscriptions/{sub}/providers/{ResourceType}/{id}"
        : $"/providers/{ResourceType}/{id}";
}

public sealed record RoleDefinitionProperties(
    string RoleName,
    string Type,
    string Description,
    IReadOnlyList<string> AssignableScopes,
    IReadOnlyList<PermissionBlock> Permissions,
    string? CreatedOn,
    string? UpdatedOn,
    string? CreatedBy,
    string? UpdatedBy);

/// <summary>A list page: nextLink is omitted on the last page, as ARM does.</summary>
public sealed record ArmPage<T>(IReadOnlyList<T> Value, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? NextLink);

/// <summary>The PUT body of a role assignment.</summary>
public sealed record RoleAssignmentCreateParameters(RoleAssignmentCreateProperties? Properties);

public sealed record RoleAssignmentCreateProperties(
    string? RoleDefinitionId,
    string? PrincipalId,
    string? PrincipalType,
    string? Description,
    string? Condition,
    string? ConditionVersion,
    string? DelegatedManagedIdentityResourceId);
