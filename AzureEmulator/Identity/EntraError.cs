using System.Globalization;
using System.Text.Json.Serialization;

namespace AzureEmulator.Identity;

/// <summary>
/// An error as Entra's token endpoint sends it: OAuth error, AADSTS code and message, trace and correlation ids,
/// with the HTTP status Entra uses for that error (400 for invalid_request and friends, 401 for invalid_client).
/// </summary>
public sealed record EntraError(int Status, string Error, int Code, string Message)
{
    public const string FederationDocs = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation";

    /// <summary>The counter outcome: "AADSTS700213" and so on.</summary>
    public string Outcome => $"AADSTS{Code}";

    public static EntraError MissingParameter(string name) => new(400, "invalid_request", 900144,
        $"The request body must contain the following parameter: '{name}'.");

    public static EntraError UnsupportedGrantType(string grantType) => new(400, "unsupported_grant_type", 70003,
        $"The app requested an unsupported grant type '{grantType}'. This token endpoint supports 'client_credentials' with a federated client assertion.");

    public static EntraError MissingAssertion() => new(401, "invalid_client", 7000216,
        "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");

    public static EntraError InvalidClientSecret(string clientId) => new(401, "invalid_client", 7000215,
        $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.");

    public static EntraError ExpiredClientSecret(string clientId, Guid keyId) => new(401, "invalid_client", 7000222,
        $"The provided client secret keys for app '{clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, " +
        $"or consider using certificate credentials for added security: https://aka.ms/certCreds. (keyId {keyId})");

    public static EntraError UnsupportedAssertionType(string type) => new(400, "invalid_request", 7000219,
        $"The client_assertion_type '{type}' is not supported. Use 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.");

    public static EntraError TenantNotFound(string tenant) => new(400, "invalid_request", 90002,
        $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. " +
        "Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.");

    public static EntraError InvalidTenantName(string tenant) => new(400, "invalid_request", 900023,
        $"Specified tenant identifier '{tenant}' is neither a valid DNS name, nor a valid external domain.");

    public static EntraError ApplicationNotFound(string clientId, string tenant) => new(400, "unauthorized_client", 700016,
        $"Application with identifier '{clientId}' was not found in the directory '{tenant}'. This can happen if the application has not been " +
        "installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");

    public static EntraError InvalidScope(string scope) => new(400, "invalid_scope", 1002012,
        $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");

    public static EntraError ResourceNotFound(string resource, string tenant) => new(400, "invalid_resource", 500011,
        $"The resource principal named {resource} was not found in the tenant named {tenant}. This can happen if the application has not been " +
        "installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.");

    public static EntraError MalformedAssertion(string reason) => new(400, "invalid_request", 50027,
        $"JWT token is invalid or malformed. ({reason})");

    public static EntraError AssertionOutOfTime(DateTimeOffset now, DateTimeOffset? notBefore, DateTimeOffset? expires) => new(401, "invalid_client", 700024,
        $"Client assertion is not within its valid time range. Current time: {Format(now)}, assertion valid from {Format(notBefore)}, " +
        $"expiry time of assertion {Format(expires)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .");

    public static EntraError IssuerMismatch(string issuer) => new(401, "invalid_client", 700211,
        $"No matching federated identity record found for presented assertion issuer '{issuer}'. Please check your federated identity credential " +
        $"Subject, Audience and Issuer against the presented assertion. {FederationDocs}");

    public static EntraError AudienceMismatch(string audience) => NoMatchingRecord(700212, "audience", audience);

    public static EntraError SubjectMismatch(string subject) => NoMatchingRecord(700213, "subject", subject);

    public static EntraError CaseOnlyMismatch(string field, string value) => new(401, "invalid_client", 7002138,
        $"No matching federated identity record found for presented assertion {field} '{value}'. The {field} matches with case-insensitive comparison, " +
        $"but not with case-sensitive comparison. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. {FederationDocs}");

    public static EntraError SignatureInvalid(string reason) => new(401, "invalid_client", 50013,
        $"Assertion failed signature validation. [Reason - {reason}]");

    public static EntraError BodyTooLarge(long limit) => new(413, "invalid_request", 90023,
        $"Invalid STS request. The request body is larger than the {limit} bytes the token endpoint accepts.");

    public static EntraError UnreadableBody(string reason) => new(400, "invalid_request", 90023,
        $"Invalid STS request. The form body could not be read ({reason}).");

    /// <summary>What the fault injector asked for, in the shape Entra uses for throttling and outages.</summary>
    public static EntraError Injected(int status) => status == 429
        ? new(429, "temporarily_unavailable", 90055, "TenantThrottlingError: There are too many incoming requests. This exception is thrown for blocked tenants. (fault injected by the emulator)")
        : new(status, "temporarily_unavailable", 90033, "A transient error has occurred. Please try again. (fault injected by the emulator)");

    public EntraErrorBody ToBody(DateTimeOffset now, string traceId, string correlationId)
    {
        var timestamp = now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new EntraErrorBody(
            Error,
            $"AADSTS{Code}: {Message} Trace ID: {traceId} Correlation ID: {correlationId} Timestamp: {timestamp}",
            [Code],
            timestamp,
            traceId,
            correlationId,
            $"https://login.microsoftonline.com/error?code={Code}");
    }

    private static string Format(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) ?? "(not set)";

    /// <summary>Entra's one message for an assertion audience or subject that no federated credential names.</summary>
    private static EntraError NoMatchingRecord(int code, string field, string value) => new(401, "invalid_client", code,
        $"No matching federated identity record found for presented assertion {field} '{value}'. Please check your federated identity credential " +
        $"Subject, Audience and Issuer against the presented assertion. {FederationDocs}");
}

/// <summary>The JSON body of an Entra token-endpoint error.</summary>
public sealed record EntraErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription,
    [property: JsonPropertyName("error_codes")] IReadOnlyList<int> ErrorCodes,
    [property: JsonPropertyName("timestamp")] string Timestamp,
    [property: JsonPropertyName("trace_id")] string TraceId,
    [property: JsonPropertyName("correlation_id")] string CorrelationId,
    [property: JsonPropertyName("error_uri")] string ErrorUri);
