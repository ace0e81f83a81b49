using System.Net.Http.Headers;
using Azure.Core;
using Azure.Identity;
using Microsoft.Identity.Client;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AzureEmulator.Tests;

/// <summary>Azure.Identity's ClientSecretCredential, unmodified, against application secrets added through the admin API.</summary>
public sealed class ClientSecretCredentialTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private static readonly TokenRequestContext ArmScope = new(["https://management.azure.com/.default"]);

    [Fact(Timeout = 60_000)]
    public async Task GetToken_WithAnAddedSecret_IssuesAV1TokenThatArmAccepts_AndTheSecretIsShownOnlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var added = await AddSecretAsync(SeedIds.OperatorClientId, ct);
        var secretText = added["secretText"]!.GetValue<string>();

        var token = await Credential(secretText).GetTokenAsync(ArmScope, ct);
        using var http = emulator.CreateClient();
        var directory = await http.GetStringAsync(new Uri("/admin/directory", UriKind.Relative), ct);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        var subscriptions = await http.GetFromJsonAsync<JsonNode>("/subscriptions?api-version=2022-12-01", ct);

        var jwt = new JsonWebToken(token.Token);
        Assert.Equal(SeedIds.OperatorClientId, jwt.GetPayloadValue<string>("appid"));
        Assert.Equal(SeedIds.OperatorObjectId, jwt.GetPayloadValue<string>("oid"));
        Assert.Equal(secretText[..3], added["hint"]!.GetValue<string>());
        Assert.Equal(40, secretText.Length);
        Assert.DoesNotContain(secretText, directory, StringComparison.Ordinal);
        Assert.Contains(added["keyId"]!.GetValue<string>(), directory, StringComparison.Ordinal);
        Assert.Equal(SeedIds.SubscriptionId, subscriptions!["value"]![0]!["subscriptionId"]!.GetValue<string>());
    }

    [Fact(Timeout = 60_000)]
    public async Task GetToken_WithAWrongSecret_FailsInvalidClient7000215()
    {
        var ct = TestContext.Current.CancellationToken;
        await AddSecretAsync(SeedIds.ReaderLessClientId, ct);

        var failure = await Assert.ThrowsAsync<AuthenticationFailedException>(async () =>
            await Credential("not-the-secret", SeedIds.ReaderLessClientId).GetTokenAsync(ArmScope, ct));

        var entra = Assert.IsType<MsalServiceException>(failure.InnerException);
        Assert.Equal(401, entra.StatusCode);
        Assert.Equal("invalid_client", entra.ErrorCode);
        Assert.Contains("AADSTS7000215", entra.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetToken_AfterTheSecretIsDeleted_Fails7000215()
    {
        var ct = TestContext.Current.CancellationToken;
        var added = await AddSecretAsync(SeedIds.OperatorClientId, ct);
        using var http = emulator.CreateClient();
        var deleted = await http.DeleteAsync(new Uri($"/admin/identities/{SeedIds.OperatorClientId}/client-secrets/{added["keyId"]}", UriKind.Relative), ct);

        var failure = await Assert.ThrowsAsync<AuthenticationFailedException>(async () =>
            await Credential(added["secretText"]!.GetValue<string>()).GetTokenAsync(ArmScope, ct));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Contains("AADSTS7000215", Assert.IsType<MsalServiceException>(failure.InnerException).Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task TokenEndpoint_WithNeitherSecretNorAssertion_Answers401InvalidClient7000216()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = emulator.CreateClient();
        var response = await http.PostAsync(new Uri($"/{SeedIds.TenantId}/oauth2/v2.0/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = SeedIds.OperatorClientId,
            ["scope"] = "https://management.azure.com/.default",
        }), ct);
        var body = await response.Content.ReadFromJsonAsync<JsonNode>(ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", body!["error"]!.GetValue<string>());
        Assert.Equal(7000216, body["error_codes"]![0]!.GetValue<int>());
    }

    [Fact(Timeout = 30_000)]
    public async Task AdminAddSecret_ForAManagedIdentity_IsRefusedWithAReason()
    {
        using var http = emulator.CreateClient();
        var response = await http.PostAsJsonAsync($"/admin/identities/{SeedIds.ApiClientId}/client-secrets", new { displayName = "nope" }, TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonNode>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("managed identities no client secrets", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private ClientSecretCredential Credential(string secret, string? clientId = null) =>
        new(SeedIds.TenantId, clientId ?? SeedIds.OperatorClientId, secret, new ClientSecretCredentialOptions
        {
            AuthorityHost = emulator.Origin,
            DisableInstanceDiscovery = true,
            Transport = emulator.CreateTransport(),
        });

    private async Task<JsonNode> AddSecretAsync(string clientId, CancellationToken ct)
    {
        using var http = emulator.CreateClient();
        var response = await http.PostAsJsonAsync($"/admin/identities/{clientId}/client-secrets", new { displayName = "test", lifetimeDays = 30 }, ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonNode>(ct))!;
    }
}
