namespace RoleViewer.Web.ApiClients;

/// <summary>Either the Api's answer or why there is none; the page renders both.</summary>
public sealed record ApiResult<T>(T? Value, ApiFailure? Failure) where T : class;

public static class ApiResult
{
    public static ApiResult<T> Ok<T>(T value) where T : class => new(value, null);

    public static ApiResult<T> Fail<T>(ApiFailure failure) where T : class => new(null, failure);
}

public enum ApiFailureKind
{
    /// <summary>No connection could be made, or it was reset: the Api is down or not reachable.</summary>
    Unreachable,

    /// <summary>The Api did not answer within the page's time budget.</summary>
    Timeout,

    /// <summary>The Api answered with a problem+json error (it runs, but its upstream failed).</summary>
    Problem,

    /// <summary>The Api answered with something that is not the contract.</summary>
    BadResponse,
}

/// <param name="RetryAfter">The Api's Retry-After, e.g. on a rate-limited forced refresh.</param>
public sealed record ApiFailure(ApiFailureKind Kind, string Summary, string Fix, int? Status = null, ApiProblem? Problem = null, TimeSpan? RetryAfter = null)
{
    /// <summary>True when the Api itself is out of reach, as opposed to reporting an upstream error.</summary>
    public bool IsOutage => Kind is not ApiFailureKind.Problem;
}
