namespace AzureEmulator.Arm;

/// <summary>An ARM error: HTTP status plus the body {"error":{"code","message"}} that SDKs turn into exceptions.</summary>
public sealed record ArmError(int Status, string Code, string Message)
{
    /// <summary>Seconds for Retry-After (429 and injected 5xx).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>WWW-Authenticate challenge sent with a 401.</summary>
    public string? Challenge { get; init; }

    public object Body => new { error = new { code = Code, message = Message } };

    public static ArmError AuthorizationFailed(ArmCaller caller, string action, string scope) => new(403, "AuthorizationFailed",
        $"The client '{caller.DisplayName}' with object id '{caller.ObjectId}' does not have authorization to perform action '{action}' " +
        $"over scope '{scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.");

    public static ArmError Throttled(string subscriptionOrTenant, Guid principal, ArmRequestKind kind, int retryAfter) => new(429, "SubscriptionRequestsThrottled",
        $"Number of '{kind.ToString().ToLowerInvariant()}' requests for subscription '{subscriptionOrTenant}' actor '{principal}' exceeded. " +
        $"Please try again after '{retryAfter}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.")
    {
        RetryAfterSeconds = retryAfter,
    };

    public static ArmError ThrottledGlobally(string subscription, ArmRequestKind kind, int retryAfter) => new(429, "SubscriptionRequestsThrottled",
        $"Number of '{kind.ToString().ToLowerInvariant()}' requests for subscription '{subscription}' exceeded the subscription's global limit, shared by all principals. " +
        $"Please try again after '{retryAfter}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.")
    {
        RetryAfterSeconds = retryAfter,
    };

    /// <summary>How ARM answers when it is the one failing (used for injected faults).</summary>
    public static ArmError Injected(int status, int retryAfter) => status switch
    {
        429 => new(429, "TooManyRequests", "The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00. For more information, see - https://aka.ms/srpthrottlinglimits") { RetryAfterSeconds = retryAfter },
        503 => new(503, "ServiceUnavailable", "The service is currently unavailable. Please try again later.") { RetryAfterSeconds = retryAfter },
        502 => new(502, "BadGateway", "The gateway did not receive a response from 'Microsoft.Authorization' within the specified time period."),
        504 => new(504, "GatewayTimeout", "The gateway did not receive a response from 'Microsoft.Authorization' within the specified time period."),
        _ => new(status, "InternalServerError", "Encountered internal server error. Diagnostic information: timestamp, correlation id and request id are in the response headers."),
    };
}
