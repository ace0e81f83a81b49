using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AzureEmulator.Tests.Arm;

/// <summary>
/// A minimal ARM caller on Azure.Core's own pipeline (retry policy with Retry-After, bearer policy), the way
/// RoleViewer.Api's client is built, with tokens from the emulator's POST /admin/tokens.
/// </summary>
public sealed class ArmClient(EmulatorFixture emulator, string clientId, string resource = "https://management.azure.com/")
{
    public const string ApiVersion = "2022-04-01";

    private readonly HttpPipeline _pipeline = HttpPipelineBuilder.Build(
        new ArmTestClientOptions(emulator),
        new BearerTokenAuthenticationPolicy(new AdminTokenCredential(emulator, clientId, resource), "https://management.azure.com/.default"));

    public static string SubscriptionScope => $"/subscriptions/{SeedIds.SubscriptionId}";

    public static string RoleId(string roleGuid) => $"{SubscriptionScope}/providers/Microsoft.Authorization/roleDefinitions/{roleGuid}";

    public async Task<(int Status, JsonNode? Body, Response Raw)> SendAsync(RequestMethod method, string pathAndQuery, object? body, CancellationToken cancellationToken)
    {
        var uri = pathAndQuery.StartsWith("https://", StringComparison.Ordinal) ? new Uri(pathAndQuery) : new Uri(emulator.Origin, pathAndQuery);
        using var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        if (body is not null)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body));
        }

        await _pipeline.SendAsync(message, cancellationToken);
        var response = message.Response;
        var text = response.Content.ToString();
        return (response.Status, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text), response);
    }

    public Task<(int Status, JsonNode? Body, Response Raw)> GetAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        SendAsync(RequestMethod.Get, pathAndQuery, null, cancellationToken);

    /// <summary>Lists every page by following nextLink as is; returns the items and the number of pages.</summary>
    public async Task<(List<JsonNode> Items, int Pages)> ListAllAsync(string firstUrl, CancellationToken cancellationToken)
    {
        var items = new List<JsonNode>();
        var pages = 0;
        string? next = firstUrl;
        while (next is not null)
        {
            var (status, body, _) = await GetAsync(next, cancellationToken);
            Assert.Equal(200, status);
            pages++;
            items.AddRange(body!["value"]!.AsArray().Select(v => v!));
            next = body["nextLink"]?.GetValue<string>();
        }

        return (items, pages);
    }

    public static async Task<string> GetTokenAsync(EmulatorFixture emulator, string clientId, string resource, CancellationToken cancellationToken, int? lifetimeSeconds = null)
    {
        using var http = emulator.CreateClient();
        using var response = await http.PostAsJsonAsync("/admin/tokens", new { clientId, resource, lifetimeSeconds }, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))!["access_token"]!.GetValue<string>();
    }

    private sealed class ArmTestClientOptions : ClientOptions
    {
        public ArmTestClientOptions(EmulatorFixture emulator)
        {
            Transport = emulator.CreateTransport();
            Retry.Delay = TimeSpan.FromMilliseconds(100);
        }
    }

    private sealed class AdminTokenCredential(EmulatorFixture emulator, string clientId, string resource) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(await ArmClient.GetTokenAsync(emulator, clientId, resource, cancellationToken), DateTimeOffset.UtcNow.AddMinutes(30));
    }
}
