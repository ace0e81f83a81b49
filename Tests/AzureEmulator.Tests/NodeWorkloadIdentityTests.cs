using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AzureEmulator.Tests;

/// <summary>A client no one on the team wrote: @azure/identity 4.13 on Node, configured by the webhook variables and NODE_EXTRA_CA_CERTS.</summary>
public sealed class NodeWorkloadIdentityTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    [Fact(Timeout = 180_000)]
    public async Task NodeWorkloadIdentityCredential_WithWebhookVariables_GetsTokenOnceAndCachesIt()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await emulator.ReadTokenFileAsync(cancellationToken);
        var before = await emulator.CountTokenExchangesAsync(SeedIds.ApiClientId, "success", cancellationToken);
        var environment = new Dictionary<string, string>(emulator.WebhookEnvironment())
        {
            ["NODE_EXTRA_CA_CERTS"] = emulator.CaCertificatePath,
        };

        var (exitCode, output, error) = await NodePeers.RunAsync("get-token.mjs", environment, cancellationToken);

        Assert.True(exitCode == 0, $"node exited {exitCode}: {output} {error}");
        using var result = JsonDocument.Parse(output);
        var token = new JsonWebToken(result.RootElement.GetProperty("token").GetString());
        Assert.True(result.RootElement.GetProperty("sameToken").GetBoolean());
        Assert.Equal("https://management.azure.com", token.GetPayloadValue<string>("aud"));
        Assert.Equal(SeedIds.ApiObjectId, token.GetPayloadValue<string>("oid"));
        Assert.Equal(before + 1, await emulator.CountTokenExchangesAsync(SeedIds.ApiClientId, "success", cancellationToken));
    }

    [Fact(Timeout = 180_000)]
    public async Task NodeWorkloadIdentityCredential_WhenIdentityTrustsNoIssuer_ReportsAadsts700211()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await emulator.ReadTokenFileAsync(cancellationToken);
        // The operator principal trusts no service account, so the exchange fails like a renamed service account does.
        var environment = new Dictionary<string, string>(emulator.WebhookEnvironment(clientId: SeedIds.OperatorClientId))
        {
            ["NODE_EXTRA_CA_CERTS"] = emulator.CaCertificatePath,
        };

        var (exitCode, output, _) = await NodePeers.RunAsync("get-token.mjs", environment, cancellationToken);

        Assert.Equal(1, exitCode);
        Assert.Contains("AADSTS700211", output, StringComparison.Ordinal);
    }
}
