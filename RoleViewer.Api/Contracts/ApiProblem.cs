namespace RoleViewer.Contracts;

/// <summary>
/// The problem+json body the Api answers with when it has nothing to serve (429, 502, 503, 504): the standard
/// ProblemDetails members plus the upstream's status and code, so a client can explain the failure in words.
/// </summary>
public sealed record ApiProblem(string? Title, string? Detail, int? Status, int? UpstreamStatus, string? UpstreamCode, string? TraceId)
{
    public const string UpstreamStatusKey = "upstreamStatus";
    public const string UpstreamCodeKey = "upstreamCode";
    public const string TraceIdKey = "traceId";
}
