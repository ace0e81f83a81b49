namespace AzureEmulator.Tests;

/// <summary>Raw token requests, shaped like MSAL.NET's, for tests that need to see the wire.</summary>
public static class TokenEndpointClient
{
    public const string JwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static Task<HttpResponseMessage> ExchangeAsync(
        HttpClient client, string assertion, CancellationToken cancellationToken,
        string clientId = SeedDirectory.ApiClientId, string scope = "https://management.azure.com//.default", string tenant = SeedDirectory.TenantId) =>
        client.PostAsync(new Uri($"/{tenant}/oauth2/v2.0/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["client_assertion_type"] = JwtBearer,
            ["client_assertion"] = assertion,
            ["scope"] = scope,
            ["grant_type"] = "client_credentials",
            ["client_info"] = "2",
            ["claims"] = """{"access_token":{"xms_cc":{"values":["CP1"]}}}""",
        }), cancellationToken);
}
