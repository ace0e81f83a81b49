namespace RoleViewer.Api.RoleAssignments;

public sealed record RoleAssignmentsResponse(
    PrincipalDto Principal,
    string SubscriptionId,
    IReadOnlyList<RoleAssignmentDto> Items,
    DateTimeOffset FetchedAt,
    bool Stale,
    double AgeSeconds,
    UpstreamErrorDto? UpstreamError);

public sealed record PrincipalDto(string ObjectId, string? ClientId, string? TenantId);

public sealed record RoleAssignmentDto(
    string Id,
    string Name,
    string RoleDefinitionId,
    string RoleName,
    string? RoleType,
    string? RoleDescription,
    string Scope,
    string ScopeKind,
    string? SubscriptionId,
    string? ResourceGroup,
    string? ResourceType,
    string? ResourceName,
    string PrincipalId,
    string? PrincipalType,
    string? Condition,
    DateTimeOffset? CreatedOn);

public sealed record UpstreamErrorDto(int? Status, string Code, string Message);
