namespace RoleViewer.Contracts;

// The Api's HTTP contract. The Web compiles these same files (linked in RoleViewer.Web.csproj), so the two cannot
// disagree; openapi/v1.json is the committed, drift-tested description of the same shapes for other clients.

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

/// <summary>Why the list is stale. <c>Status</c> is null when no HTTP answer came (Timeout, ConnectionFailed,
/// RefreshPending, configuration codes); the code then says what happened.</summary>
public sealed record UpstreamErrorDto(int? Status, string Code, string Message);
