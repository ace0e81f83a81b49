using AzureEmulator.Identity;

namespace AzureEmulator.Tests;

public sealed class EmulatorHostingTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    [Fact(Timeout = 30_000)]
    public async Task Https_WhenClientTrustsCa_ServesDirectory()
    {
        using var client = emulator.CreateClient();

        var view = await client.GetFromJsonAsync<DirectoryView>("/admin/directory", TestContext.Current.CancellationToken);

        Assert.Equal(SeedIds.TenantId, view!.Directory.TenantId);
        var fic = Assert.Single(view.Directory.Identities.Single(i => i.ClientId == SeedIds.ApiClientId).FederatedCredentials);
        Assert.Equal(view.ClusterIssuer, fic.Issuer);
        Assert.StartsWith(emulator.Origin.ToString().TrimEnd('/'), view.ClusterIssuer, StringComparison.Ordinal);
        Assert.EndsWith("/", view.ClusterIssuer, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task PlainHttp_WhenPathIsNotHealth_Returns404()
    {
        using var client = new HttpClient { BaseAddress = emulator.HttpOrigin };

        var health = await client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        var admin = await client.GetAsync(new Uri("/admin/directory", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, admin.StatusCode);
    }

    [Fact]
    public void TrustDirectory_HoldsOnlyTheCaCertificate()
    {
        var files = Directory.GetFiles(emulator.TrustDirectory).Select(Path.GetFileName);

        Assert.Equal(["ca.crt"], files);
        Assert.Equal(File.ReadAllText(emulator.CaCertificatePath), File.ReadAllText(Path.Combine(emulator.TrustDirectory, "ca.crt")));
    }
}
