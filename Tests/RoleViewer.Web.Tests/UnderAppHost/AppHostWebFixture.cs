using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace RoleViewer.Web.Tests.UnderAppHost;

/// <summary>The end-to-end classes share one AppHost and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SharedAppHost : ICollectionFixture<AppHostWebFixture>
{
    public const string Name = "AppHost";
}

/// <summary>The whole AppHost (emulator, api, web) once for the end-to-end classes; their tests run one after another.</summary>
public sealed class AppHostWebFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    public DistributedApplication App { get; private set; } = null!;

    // Its own emulator state: Try-it's grants and federation changes persist, and must not leak into dev runs or other tests.
    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("roleviewer-web-e2e-").FullName;

    public Uri WebUrl { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--Emulator:StateDirectory={_stateDirectory}"], cts.Token);
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        App = await builder.BuildAsync(cts.Token);
        await App.StartAsync(cts.Token);
        foreach (var resource in new[] { "emulator", "api", "web" })
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
        }

        WebUrl = App.GetEndpoint("web", "http");
        ApiUrl = App.GetEndpoint("api", "http");
        EmulatorUrl = App.GetEndpoint("emulator", "https");
        var key = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>().Single(p => p.Name == "emulator-admin-key");
        AdminKey = await key.GetValueAsync(cts.Token) ?? throw new InvalidOperationException("The AppHost generated no emulator admin key.");
    }

    public Uri ApiUrl { get; private set; } = null!;

    public Uri EmulatorUrl { get; private set; } = null!;

    /// <summary>The per-run key the AppHost generated for the emulator's admin API (its secret parameter).</summary>
    public string AdminKey { get; private set; } = null!;

    /// <summary>The emulator's owner: trusts its CA (from this run's state) and sends the admin key.</summary>
    public HttpClient CreateEmulatorAdminClient()
    {
        var client = new HttpClient(RoleViewer.Testing.EmulatorCaTrust.CreateHandler(Path.Combine(_stateDirectory, "tls", "ca.crt")))
        {
            BaseAddress = EmulatorUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };
        client.DefaultRequestHeaders.Add("Emulator-Admin-Key", AdminKey);
        return client;
    }

    private static readonly string SubscriptionId = SeedIds.SubscriptionId;
    private static readonly string ApiClientId = SeedIds.ApiClientId;
    private static readonly string ApiObjectId = SeedIds.ApiObjectId;
    private static readonly string OperatorClientId = SeedIds.OperatorClientId;
    private const string TryItGroupObjectId = "b7e1c3a5-9d2f-4e8b-a6c4-0f2e4d6b8a1c";
    public const string ApiSubject = "system:serviceaccount:roleviewer:roleviewer-api";

    /// <summary>
    /// Undoes a Try-it grant through the emulator's ARM and admin API, not the page: it works whatever state the page
    /// is in. Deletes the role's assignments of the app identity and of the Try-it group, then the group.
    /// </summary>
    public async Task RevokeThroughEmulatorAsync(string roleDefinitionGuid, CancellationToken cancellationToken)
    {
        using var emulator = CreateEmulatorAdminClient();
        using var token = await emulator.PostAsJsonAsync("/admin/tokens", new { clientId = OperatorClientId, resource = "https://management.azure.com/" }, cancellationToken);
        token.EnsureSuccessStatusCode();
        emulator.DefaultRequestHeaders.Authorization = new("Bearer", (await token.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))!["access_token"]!.GetValue<string>());
        foreach (var principal in new[] { ApiObjectId, TryItGroupObjectId })
        {
            var list = await emulator.GetFromJsonAsync<JsonNode>(
                $"/subscriptions/{SubscriptionId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter={Uri.EscapeDataString($"principalId eq '{principal}'")}", cancellationToken);
            foreach (var assignment in list!["value"]!.AsArray().Where(a => a!["properties"]!["roleDefinitionId"]!.GetValue<string>().EndsWith(roleDefinitionGuid, StringComparison.OrdinalIgnoreCase)))
            {
                using var deleted = await emulator.DeleteAsync($"{assignment!["id"]!.GetValue<string>()}?api-version=2022-04-01", cancellationToken);
                deleted.EnsureSuccessStatusCode();
            }
        }

        using var group = await emulator.DeleteAsync($"/admin/groups/{TryItGroupObjectId}", cancellationToken);
        Assert.True(group.IsSuccessStatusCode || group.StatusCode == HttpStatusCode.NotFound, $"DELETE /admin/groups answered {(int)group.StatusCode}");
    }

    /// <summary>Gives the app identity's federated credential its right subject again, through the emulator's admin API.</summary>
    public async Task RestoreFederationThroughEmulatorAsync(CancellationToken cancellationToken)
    {
        using var emulator = CreateEmulatorAdminClient();
        var directory = await emulator.GetFromJsonAsync<JsonNode>("/admin/directory", cancellationToken);
        var credential = directory!["directory"]!["identities"]!.AsArray()
            .Single(i => i!["clientId"]!.GetValue<string>() == ApiClientId)!["federatedCredentials"]!.AsArray().Single()!;
        using var response = await emulator.PutAsJsonAsync($"/admin/identities/{ApiClientId}/federated-credentials/{credential["name"]!.GetValue<string>()}", new
        {
            issuer = credential["issuer"]!.GetValue<string>(),
            subject = ApiSubject,
            audiences = credential["audiences"]!.DeepClone(),
        }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public Task StopAsync(string resource, CancellationToken cancellationToken) =>
        App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, KnownResourceCommands.StopCommand, cancellationToken);

    public Task StartAsync(string resource, CancellationToken cancellationToken) =>
        App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        Directory.Delete(_stateDirectory, recursive: true);
    }
}
