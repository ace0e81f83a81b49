namespace RoleViewer.Contracts;

// The HTTP contract of /api/permissions and /api/permissions/check (camelCase JSON); the Web compiles this same file.

/// <summary>What the identity may do at a scope: the union of its roles' permissions, and each role's block.</summary>
/// <remarks>notActions in the union are informational: each subtracts only from its own role's actions (see <see cref="Roles"/>).</remarks>
public sealed record EffectivePermissionsResponse(
    string Scope,
    string ScopeKind,
    PrincipalDto Principal,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> NotActions,
    IReadOnlyList<string> DataActions,
    IReadOnlyList<string> NotDataActions,
    IReadOnlyList<RolePermissionsDto> Roles,
    IReadOnlyList<string> Warnings,
    DateTimeOffset FetchedAt,
    bool Stale,
    UpstreamErrorDto? UpstreamError);

/// <summary>One permission block of one role assignment that applies at the scope.</summary>
public sealed record RolePermissionsDto(
    string AssignmentId,
    string RoleName,
    string RoleDefinitionId,
    string AssignmentScope,
    bool ViaGroup,
    string? Condition,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> NotActions,
    IReadOnlyList<string> DataActions,
    IReadOnlyList<string> NotDataActions);

/// <summary>May the identity perform one action at one scope, and which assignment decides.</summary>
public sealed record PermissionCheckResponse(
    string Action,
    string Scope,
    string Kind,
    bool Allowed,
    PermissionGrantDto? GrantedBy,
    IReadOnlyList<PermissionDenialDto> DeniedBy,
    string Reason,
    IReadOnlyList<string> Warnings,
    DateTimeOffset FetchedAt,
    bool Stale);

/// <summary>The assignment whose role grants the action, and the pattern that matched.</summary>
public sealed record PermissionGrantDto(
    string AssignmentId,
    string RoleName,
    string RoleDefinitionId,
    string AssignmentScope,
    bool ViaGroup,
    string Pattern,
    string? Condition);

/// <summary>A role that matches the action but removes it again with one of its notActions (or notDataActions).</summary>
public sealed record PermissionDenialDto(
    string AssignmentId,
    string RoleName,
    string AssignmentScope,
    string GrantingPattern,
    string NotPattern);

public static class PermissionKinds
{
    /// <summary>A control-plane operation, matched against actions / notActions.</summary>
    public const string Action = "action";

    /// <summary>A data-plane operation, matched against dataActions / notDataActions.</summary>
    public const string DataAction = "dataAction";
}
