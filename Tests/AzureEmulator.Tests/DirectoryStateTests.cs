using AzureEmulator.Identity;
using AzureEmulator.State;
using Microsoft.Extensions.DependencyInjection;

namespace AzureEmulator.Tests;

/// <summary>The directory survives restarts, refuses damaged state, and keeps Entra's limits.</summary>
public sealed class DirectoryStateTests : IDisposable
{
    private static readonly string[] TokenExchangeAudience = ["api://AzureADTokenExchange"];
    private static readonly string[] TwoAudiences = ["a", "b"];

    // Each test starts one or two emulators (CA, signing keys, Kestrel): sized for a 2-core machine busy with other work.
    private const int EmulatorStartsTimeout = 180_000;

    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("roleviewer-emulator-state-").FullName;

    [Fact(Timeout = EmulatorStartsTimeout)]
    public async Task FederatedCredential_WhenPut_SurvivesRestart()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var credential = new { issuer = "https://oidc.example.test/cluster-02/", subject = "system:serviceaccount:ops:tool", audiences = TokenExchangeAudience };
        await using (var first = new EmulatorOnState(_stateDirectory))
        {
            await first.InitializeAsync();
            using var client = first.CreateClient();
            var put = await client.PutAsJsonAsync($"/admin/identities/{SeedIds.OperatorClientId}/federated-credentials/ops-tool", credential, cancellationToken);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        await using var second = new EmulatorOnState(_stateDirectory);
        await second.InitializeAsync();
        using var again = second.CreateClient();
        var view = await again.GetFromJsonAsync<DirectoryView>("/admin/directory", cancellationToken);

        var saved = Assert.Single(view!.Directory.Identities.Single(i => i.ClientId == SeedIds.OperatorClientId).FederatedCredentials);
        Assert.Equal(("ops-tool", credential.issuer, credential.subject), (saved.Name, saved.Issuer, saved.Subject));
        Assert.Empty(Directory.GetFiles(_stateDirectory, "*.tmp"));
    }

    [Fact(Timeout = EmulatorStartsTimeout)]
    public async Task FederatedCredential_PutWithRunningClusterIssuer_IsSavedAsPlaceholderAndFollowsTheNextRunsIssuer()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        const string subject = "system:serviceaccount:ops:follows-the-port";
        await using (var first = new EmulatorOnState(_stateDirectory))
        {
            await first.InitializeAsync();
            using var client = first.CreateClient();
            var issuer = first.Services.GetRequiredService<ClusterIssuer>().Issuer;
            var put = await client.PutAsJsonAsync($"/admin/identities/{SeedIds.OperatorClientId}/federated-credentials/ops-tool",
                new { issuer, subject, audiences = TokenExchangeAudience }, cancellationToken);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var saved = await File.ReadAllTextAsync(Path.Combine(_stateDirectory, "directory.json"), cancellationToken);
        await using var second = new EmulatorOnState(_stateDirectory);
        await second.InitializeAsync();
        using var again = second.CreateClient();
        var view = await again.GetFromJsonAsync<DirectoryView>("/admin/directory", cancellationToken);

        Assert.DoesNotContain("/oidc/", saved, StringComparison.Ordinal);
        var credential = Assert.Single(view!.Directory.Identities.Single(i => i.ClientId == SeedIds.OperatorClientId).FederatedCredentials);
        Assert.Equal((second.Services.GetRequiredService<ClusterIssuer>().Issuer, subject), (credential.Issuer, credential.Subject));
    }

    [Fact(Timeout = EmulatorStartsTimeout)]
    public async Task Start_WhenDirectoryStateIsDamaged_FailsNamingFileAndLeavesItUntouched()
    {
        var path = Path.Combine(_stateDirectory, "directory.json");
        const string damaged = "{\"tenantId\": \"8a7d1c7e-3b6f-4a0e-9d2c-5f1e0b7c4a21\", \"identities\": [ {";
        await File.WriteAllTextAsync(path, damaged, TestContext.Current.CancellationToken);
        await using var emulator = new EmulatorOnState(_stateDirectory);

        var error = await Record.ExceptionAsync(async () => await emulator.InitializeAsync());

        var damagedState = Assert.IsType<DamagedStateFileException>(error, exactMatch: false);
        Assert.Contains(path, damagedState.Message, StringComparison.Ordinal);
        Assert.Equal(damaged, await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = EmulatorStartsTimeout)]
    public async Task PutFederatedCredential_BeyondTwenty_Answers409()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var emulator = new EmulatorOnState(_stateDirectory);
        await emulator.InitializeAsync();
        using var client = emulator.CreateClient();

        HttpResponseMessage last = null!;
        for (var i = 1; i <= FederatedCredentialRules.MaxPerIdentity + 1; i++)
        {
            last = await client.PutAsJsonAsync(
                $"/admin/identities/{SeedIds.OperatorClientId}/federated-credentials/fic-{i:00}",
                new { issuer = "{clusterIssuer}", subject = $"system:serviceaccount:ns:sa-{i}", audiences = TokenExchangeAudience },
                cancellationToken);
            if (i <= FederatedCredentialRules.MaxPerIdentity)
            {
                Assert.Equal(HttpStatusCode.Created, last.StatusCode);
            }
        }

        Assert.Equal(HttpStatusCode.Conflict, last.StatusCode);
        Assert.Contains("20", await last.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
    }

    [Fact(Timeout = EmulatorStartsTimeout)]
    public async Task PutFederatedCredential_WithTwoAudiences_Answers400()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var emulator = new EmulatorOnState(_stateDirectory);
        await emulator.InitializeAsync();
        using var client = emulator.CreateClient();

        var response = await client.PutAsJsonAsync(
            $"/admin/identities/{SeedIds.ApiClientId}/federated-credentials/two-audiences",
            new { issuer = "https://issuer.example.test/", subject = "s", audiences = TwoAudiences },
            cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>An emulator on this test's state directory, which outlives it so a second one can start on the same state.</summary>
    private sealed class EmulatorOnState(string stateDirectory) : EmulatorFixture(stateDirectory, deleteStateOnDispose: false);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; /tmp is cleaned by the OS.
        }
    }
}
