using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;
using AzureEmulator.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Identity.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AzureEmulator.Tests;

/// <summary>Azure.Identity's WorkloadIdentityCredential, unmodified, against the emulator: success and every Entra error.</summary>
[Collection(WebhookEnvironmentTests.Name)]
public sealed class WorkloadIdentityCredentialTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private static readonly TokenRequestContext ArmScope = new(["https://management.azure.com//.default"]);

    [Fact(Timeout = 60_000)]
    public async Task GetToken_WhenWebhookVariablesSet_ExchangesOnceAndReusesToken()
    {
        await emulator.ReadTokenFileAsync(TestContext.Current.CancellationToken);
        var before = await emulator.CountTokenExchangesAsync(SeedIds.ApiClientId, "success", TestContext.Current.CancellationToken);
        var credential = WebhookEnvironment.CreateCredential(emulator);

        var first = await credential.GetTokenAsync(ArmScope, TestContext.Current.CancellationToken);
        var second = await credential.GetTokenAsync(ArmScope, TestContext.Current.CancellationToken);
        var third = await credential.GetTokenAsync(ArmScope, TestContext.Current.CancellationToken);

        Assert.Equal(first.Token, second.Token);
        Assert.Equal(first.Token, third.Token);
        Assert.Equal(before + 1, await emulator.CountTokenExchangesAsync(SeedIds.ApiClientId, "success", TestContext.Current.CancellationToken));

        var token = new JsonWebToken(first.Token);
        Assert.Equal("https://management.azure.com/", token.GetPayloadValue<string>("aud"));
        Assert.Equal(SeedIds.ApiObjectId, token.GetPayloadValue<string>("oid"));
        Assert.Equal(SeedIds.TenantId, token.GetPayloadValue<string>("tid"));
        Assert.Equal(SeedIds.ApiClientId, token.GetPayloadValue<string>("appid"));
        Assert.False(token.TryGetPayloadValue<string>("azp", out _), "a v1 token carries appid, not the v2-only azp");
        Assert.Equal("2", token.GetPayloadValue<string>("appidacr"));
        Assert.Equal("app", token.GetPayloadValue<string>("idtyp"));
        Assert.Equal($"https://sts.windows.net/{SeedIds.TenantId}/", token.Issuer);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetToken_WhenIssued_HeaderNamesThePublishedCertificateByKidAndX5t_AndItsKeyVerifiesTheSignature()
    {
        var ct = TestContext.Current.CancellationToken;
        await emulator.ReadTokenFileAsync(ct);
        var credential = WebhookEnvironment.CreateCredential(emulator);
        var token = await credential.GetTokenAsync(new TokenRequestContext(["https://management.azure.com/.default"]), ct);
        var keys = emulator.Services.GetRequiredService<EntraSigningKeys>();
        using var http = emulator.CreateClient();
        var published = (await http.GetFromJsonAsync<JsonNode>($"/{SeedIds.TenantId}/discovery/v2.0/keys", ct))!["keys"]![0]!;
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(published["x5c"]![0]!.GetValue<string>()));

        var jwt = new JsonWebToken(token.Token);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token.Token, new TokenValidationParameters
        {
            ValidIssuer = keys.IssuerFor(SeedIds.TenantId),
            ValidAudience = "https://management.azure.com",
            IssuerSigningKey = new X509SecurityKey(certificate, jwt.Kid),
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(Base64UrlEncoder.Encode(certificate.GetCertHash()), jwt.X5t);
        Assert.Equal(jwt.X5t, jwt.Kid);
        Assert.Equal(jwt.Kid, published["kid"]!.GetValue<string>());
        Assert.Equal(jwt.X5t, published["x5t"]!.GetValue<string>());
    }

    [Fact(Timeout = 60_000)]
    public async Task GetToken_WhenIssuerLacksTrailingSlash_Fails700211()
    {
        var issuer = emulator.Services.GetRequiredService<ClusterIssuer>().Issuer;
        await SetOperatorCredentialAsync(issuer.TrimEnd('/'), SeedIds.ApiSubject, "api://AzureADTokenExchange", TestContext.Current.CancellationToken);

        var error = await FailAsync(TestContext.Current.CancellationToken, clientId: SeedIds.OperatorClientId);

        Assert.Contains("AADSTS700211", error.Message, StringComparison.Ordinal);
        Assert.Contains(issuer, error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetToken_WhenAudienceDiffers_Fails700212()
    {
        var issuer = emulator.Services.GetRequiredService<ClusterIssuer>().Issuer;
        await SetOperatorCredentialAsync(issuer, SeedIds.ApiSubject, "api://SomethingElse", TestContext.Current.CancellationToken);

        var error = await FailAsync(TestContext.Current.CancellationToken, clientId: SeedIds.OperatorClientId);

        Assert.Contains("AADSTS700212", error.Message, StringComparison.Ordinal);
        Assert.Contains("api://AzureADTokenExchange", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetToken_WhenServiceAccountDiffers_Fails700213WithPresentedSubject()
    {
        var issuer = emulator.Services.GetRequiredService<ClusterIssuer>().Issuer;
        await SetOperatorCredentialAsync(issuer, "system:serviceaccount:roleviewer:renamed-api", "api://AzureADTokenExchange", TestContext.Current.CancellationToken);

        var error = await FailAsync(TestContext.Current.CancellationToken, clientId: SeedIds.OperatorClientId);

        Assert.Contains("AADSTS700213", error.Message, StringComparison.Ordinal);
        Assert.Equal("invalid_client", error.ErrorCode);
        Assert.Equal(401, error.StatusCode);
        Assert.Contains($"'{SeedIds.ApiSubject}'", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetToken_WhenSubjectDiffersOnlyInCase_Fails7002138()
    {
        var issuer = emulator.Services.GetRequiredService<ClusterIssuer>().Issuer;
        await SetOperatorCredentialAsync(issuer, "system:serviceaccount:RoleViewer:roleviewer-api", "api://AzureADTokenExchange", TestContext.Current.CancellationToken);

        var error = await FailAsync(TestContext.Current.CancellationToken, clientId: SeedIds.OperatorClientId);

        Assert.Contains("AADSTS7002138", error.Message, StringComparison.Ordinal);
        Assert.Contains("case-insensitive", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetToken_WhenAssertionExpired_Fails700024()
    {
        var issuer = emulator.Services.GetRequiredService<ClusterIssuer>();
        var expired = issuer.Mint("roleviewer", "roleviewer-api", TimeSpan.FromHours(1), DateTimeOffset.UtcNow.AddHours(-2));
        var file = WriteTokenFile(expired.Token);

        var error = await FailAsync(TestContext.Current.CancellationToken, tokenFile: file);

        Assert.Contains("AADSTS700024", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetToken_WhenClientUnknown_Fails700016()
    {
        var unknown = Guid.NewGuid().ToString();
        var before = await emulator.CountTokenExchangesAsync("(unregistered)", "AADSTS700016", TestContext.Current.CancellationToken);

        var error = await FailAsync(TestContext.Current.CancellationToken, clientId: unknown);

        Assert.Contains("AADSTS700016", error.Message, StringComparison.Ordinal);
        Assert.Contains(unknown, error.Message, StringComparison.Ordinal);
        Assert.Equal(before + 1, await emulator.CountTokenExchangesAsync("(unregistered)", "AADSTS700016", TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 60_000)]
    public async Task GetToken_WhenTenantUnknown_Fails90002()
    {
        var error = await FailAsync(TestContext.Current.CancellationToken, tenantId: Guid.NewGuid().ToString());

        Assert.Contains("AADSTS90002", error.Message, StringComparison.Ordinal);
        Assert.Equal("invalid_request", error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetToken_WhenSignedByAnotherKey_Fails50013()
    {
        var genuine = new JsonWebToken(await emulator.ReadTokenFileAsync(TestContext.Current.CancellationToken));
        using var rsa = RSA.Create(2048);
        var forged = new JsonWebTokenHandler().CreateToken(genuine.EncodedPayload is { } payload
            ? Base64UrlEncoder.Decode(payload)
            : throw new InvalidOperationException(), new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = genuine.Kid }, SecurityAlgorithms.RsaSha256));

        var error = await FailAsync(TestContext.Current.CancellationToken, tokenFile: WriteTokenFile(forged));

        Assert.Contains("AADSTS50013", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetToken_WhenTokenFileIsNotJwt_Fails50027()
    {
        var error = await FailAsync(TestContext.Current.CancellationToken, tokenFile: WriteTokenFile("this-is-not-a-jwt"));

        Assert.Contains("AADSTS50027", error.Message, StringComparison.Ordinal);
    }

    private async Task<MsalServiceException> FailAsync(CancellationToken cancellationToken, string? tokenFile = null, string? clientId = null, string? tenantId = null)
    {
        await emulator.ReadTokenFileAsync(cancellationToken);
        var credential = WebhookEnvironment.CreateCredential(emulator, tokenFile, clientId, tenantId);
        var failure = await Assert.ThrowsAsync<AuthenticationFailedException>(async () => await credential.GetTokenAsync(ArmScope, cancellationToken));
        // Azure.Identity 1.21 is a facade over Azure.Core 1.60, whose CredentialDiagnosticScope.TryWrapException keeps an
        // MsalServiceException's text out of AuthenticationFailedException.Message (it appends it only for managed-identity
        // errors), against real Entra too. Entra's text travels in the inner exception and in ToString(), which logs show.
        var entra = Assert.IsType<MsalServiceException>(failure.InnerException);
        Assert.Contains(entra.Message, failure.ToString(), StringComparison.Ordinal);
        return entra;
    }

    // The operator principal gets one test FIC that each test replaces; the API identity's seeded FIC stays intact.
    private async Task SetOperatorCredentialAsync(string issuer, string subject, string audience, CancellationToken cancellationToken)
    {
        using var client = emulator.CreateClient();
        var response = await client.PutAsJsonAsync(
            $"/admin/identities/{SeedIds.OperatorClientId}/federated-credentials/under-test",
            new { issuer, subject, audiences = new[] { audience } },
            cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private string WriteTokenFile(string content)
    {
        var path = Path.Combine(emulator.StateDirectory, $"token-{Guid.NewGuid():N}");
        File.WriteAllText(path, content);
        return path;
    }
}
