namespace RoleViewer.Api.Identity;

/// <summary>Which party refused or failed: decides the wording of the fix and the HTTP status we answer with.</summary>
public enum UpstreamSource
{
    Configuration,
    Entra,
    Arm,
    Network,
}

/// <summary>An Entra, ARM or network failure, reduced to what a human needs: the upstream code and how to fix it.</summary>
public sealed record UpstreamFailure(UpstreamSource Source, int? Status, string Code, string Message, string Fix)
{
    /// <summary>
    /// The status this API answers with when it has nothing cached: 503 while the upstream is unavailable or
    /// throttling (worth retrying), 504 on timeouts, 502 when the upstream rejected us (needs a fix, not a retry).
    /// </summary>
    public int ProblemStatus => this switch
    {
        { Code: UpstreamCodes.Timeout } => StatusCodes.Status504GatewayTimeout,
        { Source: UpstreamSource.Configuration } => StatusCodes.Status503ServiceUnavailable,
        { Status: 429 or 503 } => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status502BadGateway,
    };

    public string Title => Source switch
    {
        UpstreamSource.Configuration => "Workload identity is not configured",
        UpstreamSource.Entra => "Entra ID refused the token exchange",
        UpstreamSource.Arm => "Azure Resource Manager refused the request",
        _ => "Azure could not be reached",
    };
}

public sealed class UpstreamException(UpstreamFailure failure, Exception? innerException)
    : Exception($"{failure.Code}: {failure.Message}", innerException)
{
    public UpstreamFailure Failure { get; } = failure;
}

public static class UpstreamCodes
{
    public const string Timeout = "Timeout";
    public const string CredentialUnavailable = "CredentialUnavailable";
    public const string TokenFileUnreadable = "TokenFileUnreadable";
    public const string UntrustedRoot = "UntrustedRoot";
    public const string TlsFailure = "TlsHandshakeFailed";
    public const string ConnectionFailed = "ConnectionFailed";
    public const string SubscriptionMissing = "SubscriptionNotConfigured";
}
