namespace AzureEmulator.Tests;

/// <summary>Raw token requests, shaped like MSAL.NET's, for tests that need to see the wire.</summary>
public static class TokenEndpointClient
{
    public const string JwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static Task<HttpResponseMessage> ExchangeAsync(
        HttpClient client, string assertion, CancellationToken cancellationToken,
        string? clientId = null, string scope = "https://management.azure.com//.default", string? tenant = null) =>
        client.PostAsync(new Uri($"/{tenant ?? SeedIds.TenantId}/oauth2/v2.0/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = clientId ?? SeedIds.ApiClientId,
            ["client_assertion_type"] = JwtBearer,
            ["client_assertion"] = assertion,
            ["scope"] = scope,
            ["grant_type"] = "client_credentials",
            ["client_info"] = "2",
            ["claims"] = """{"access_token":{"xms_cc":{"values":["CP1"]}}}""",
        }), cancellationToken);
}
