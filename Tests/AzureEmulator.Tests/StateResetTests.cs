using System.Text.Json;
using Azure.Core;
using AzureEmulator.Identity;
using AzureEmulator.State;
using AzureEmulator.Tests.Arm;

namespace AzureEmulator.Tests;

/// <summary>
/// GET /admin/state says whether roles, groups and federation still equal the seed; POST /admin/state/reset puts
/// them back, on disk too. Each test gets its own emulator: they change the state.
/// </summary>
public sealed class StateResetTests : IAsyncLifetime
{
    private const string Reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    private const string WrongSubject = "system:serviceaccount:roleviewer:not-the-trusted-account";
    private static readonly string[] TokenExchangeAudience = ["api://AzureADTokenExchange"];
    private readonly EmulatorFixture _emulator = new();

    public ValueTask InitializeAsync() => _emulator.InitializeAsync();

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();

    [Fact(Timeout = 60_000)]
    public async Task State_OnAFreshStart_EqualsTheSeedAndNamesItsFiles()
    {
        using var client = _emulator.CreateClient();

        var report = await client.GetFromJsonAsync<SeedDriftReport>("/admin/state", TestContext.Current.CancellationToken);

        Assert.False(report!.DiffersFromSeed);
        Assert.Empty(report.Differences);
        Assert.Equal(
            [Path.Combine(_emulator.StateDirectory, "directory.json"), Path.Combine(_emulator.StateDirectory, "authorization.json")],
            report.StateFiles);
    }

    [Fact(Timeout = 90_000)]
    public async Task Reset_AfterAGrantAGroupAndABrokenFederation_ReportsEachThenRestoresTheSeedOnDiskAndTheExchangeWorksAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = _emulator.CreateClient();
        var group = Guid.NewGuid().ToString();
        var view = await client.GetFromJsonAsync<DirectoryView>("/admin/directory", ct);
        (await client.PutAsJsonAsync($"/admin/groups/{group}", new { displayName = "sg-drift", members = new[] { SeedIds.ApiObjectId } }, ct)).EnsureSuccessStatusCode();
        var (granted, _, _) = await new ArmClient(_emulator, SeedIds.OperatorClientId).SendAsync(RequestMethod.Put,
            $"{ArmClient.SubscriptionScope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version={ArmClient.ApiVersion}",
            new { properties = new { roleDefinitionId = ArmClient.RoleId(Reader), principalId = SeedIds.ApiObjectId } }, ct);
        (await client.PutAsJsonAsync($"/admin/identities/{SeedIds.ApiClientId}/federated-credentials/roleviewer-api",
            new { issuer = view!.ClusterIssuer, subject = WrongSubject, audiences = TokenExchangeAudience }, ct)).EnsureSuccessStatusCode();
        var assertion = await _emulator.ReadTokenFileAsync(ct);

        var drifted = await client.GetFromJsonAsync<SeedDriftReport>("/admin/state", ct);
        var brokenExchange = await TokenEndpointClient.ExchangeAsync(client, assertion, ct);
        using var reset = await client.PostAsync(new Uri("/admin/state/reset", UriKind.Relative), null, ct);
        var afterReset = await reset.Content.ReadFromJsonAsync<SeedDriftReport>(ct);
        var repairedExchange = await TokenEndpointClient.ExchangeAsync(client, assertion, ct);
        var (_, listed, _) = await new ArmClient(_emulator, SeedIds.ApiClientId).GetAsync(
            $"{ArmClient.SubscriptionScope}/providers/Microsoft.Authorization/roleAssignments?api-version={ArmClient.ApiVersion}&$filter=assignedTo('{SeedIds.ApiObjectId}')", ct);

        Assert.Equal(201, granted);
        Assert.True(drifted!.DiffersFromSeed);
        Assert.Equal(["roleAssignments", "groups", "federatedCredentials"], drifted.Differences.Select(d => d.Area));
        Assert.Contains("Reader for id-roleviewer-api", drifted.Differences[0].Detail, StringComparison.Ordinal);
        Assert.Contains("sg-drift (1 member)", drifted.Differences[1].Detail, StringComparison.Ordinal);
        Assert.Contains(WrongSubject, drifted.Differences[2].Detail, StringComparison.Ordinal);
        Assert.Contains(SeedIds.ApiSubject, drifted.Differences[2].Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, brokenExchange.StatusCode);
        Assert.Contains("AADSTS700213", await brokenExchange.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.False(afterReset!.DiffersFromSeed);
        Assert.Equal(HttpStatusCode.OK, repairedExchange.StatusCode);
        Assert.DoesNotContain(listed!["value"]!.AsArray(), a => a!["properties"]!["roleDefinitionId"]!.GetValue<string>().EndsWith(Reader, StringComparison.Ordinal));
        using var onDisk = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_emulator.StateDirectory, "directory.json"), ct));
        Assert.Empty(onDisk.RootElement.GetProperty("groups").EnumerateArray());
        Assert.DoesNotContain(WrongSubject, onDisk.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task State_WhenTheFederatedCredentialIsRewrittenAsSeeded_StillEqualsTheSeed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = _emulator.CreateClient();
        var view = await client.GetFromJsonAsync<DirectoryView>("/admin/directory", ct);

        // What Try-it's "Repair federation" writes: the running issuer (saved as {clusterIssuer}) and the seeded subject,
        // without the seed's description, which says nothing about whom the credential trusts.
        (await client.PutAsJsonAsync($"/admin/identities/{SeedIds.ApiClientId}/federated-credentials/roleviewer-api",
            new { issuer = view!.ClusterIssuer, subject = SeedIds.ApiSubject, audiences = TokenExchangeAudience }, ct)).EnsureSuccessStatusCode();
        var report = await client.GetFromJsonAsync<SeedDriftReport>("/admin/state", ct);

        Assert.False(report!.DiffersFromSeed, string.Join(" ", report.Differences.Select(d => d.Detail)));
    }

    [Fact(Timeout = 60_000)]
    public async Task State_AfterThousandsOfBulkAssignments_ListsAFewAndCountsTheRest()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = _emulator.CreateClient();
        (await client.PostAsJsonAsync("/admin/arm/bulk-assignments", new { count = 2000, scope = ArmClient.SubscriptionScope }, ct)).EnsureSuccessStatusCode();

        var report = await client.GetFromJsonAsync<SeedDriftReport>("/admin/state", ct);

        Assert.Equal(SeedDrift.MaxListedPerArea + 1, report!.Differences.Count);
        Assert.Equal($"… and {2000 - SeedDrift.MaxListedPerArea} more role assignment changes ({2000 - SeedDrift.MaxListedPerArea} added).", report.Differences[^1].Detail);
    }
}
