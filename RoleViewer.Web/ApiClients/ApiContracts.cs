namespace RoleViewer.Web.ApiClients;

// The web's own mirror of the RoleViewer.Api HTTP contract (camelCase JSON, web defaults).
// Kept separate from the Api's types on purpose: the two deploy independently.

public sealed record RoleAssignmentsResponse(
    PrincipalInfo? Principal,
    string? SubscriptionId,
    IReadOnlyList<RoleAssignmentItem> Items,
    DateTimeOffset FetchedAt,
    bool Stale,
    double AgeSeconds,
    UpstreamError? UpstreamError);

public sealed record PrincipalInfo(string? ObjectId, string? ClientId, string? TenantId);

public sealed record RoleAssignmentItem(
    string Id,
    string Name,
    string RoleDefinitionId,
    string? RoleName,
    string? RoleType,
    string? RoleDescription,
    string Scope,
    string? ScopeKind,
    string? SubscriptionId,
    string? ResourceGroup,
    string? ResourceType,
    string? ResourceName,
    string? PrincipalId,
    string? PrincipalType,
    string? Condition,
    DateTimeOffset? CreatedOn);

public sealed record UpstreamError(int Status, string? Code, string? Message);

public sealed record IdentityReport(
    string? ClientId,
    string? TenantId,
    string? PrincipalObjectId,
    string? SubscriptionId,
    string? AuthorityHost,
    string? ArmEndpoint,
    DateTimeOffset? AccessTokenExpiresOn,
    string Overall,
    IReadOnlyList<DoctorCheck> Checks,
    ProjectedTokenInfo? ProjectedToken,
    ExchangeInfo? LastExchange);

public sealed record DoctorCheck(string Id, string Title, string Status, string? Detail, string? Fix);

public sealed record ProjectedTokenInfo(
    string? Issuer,
    string? Subject,
    IReadOnlyList<string>? Audiences,
    DateTimeOffset? ExpiresOn,
    DateTimeOffset? FileLastWritten);

public sealed record ExchangeInfo(DateTimeOffset At, bool Succeeded, string? ErrorCode, string? Message);

public sealed record PodFacts(
    string PodName,
    string? Namespace,
    string? NodeName,
    string? PodIp,
    string? ServiceAccount,
    string HostName,
    double ProcessUptimeSeconds,
    DateTimeOffset StartedAt,
    int CpuCount,
    double? CpuLimit,
    long? MemoryLimitBytes,
    long WorkingSetBytes,
    long GcHeapBytes,
    IReadOnlyList<double>? LoadAverage,
    string DotnetVersion,
    string AppVersion,
    string OsDescription);

/// <summary>The problem+json body the Api sends when it has nothing to serve.</summary>
public sealed record ApiProblem(string? Title, string? Detail, int? Status, int? UpstreamStatus, string? UpstreamCode, string? TraceId);
