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
    private readonly string stateDirectory = Directory.CreateTempSubdirectory("roleviewer-web-e2e-").FullName;

    public Uri WebUrl { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--Emulator:StateDirectory={stateDirectory}"], cts.Token);
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
        var client = new HttpClient(RoleViewer.Testing.EmulatorCaTrust.CreateHandler(Path.Combine(stateDirectory, "tls", "ca.crt")))
        {
            BaseAddress = EmulatorUrl,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Add("Emulator-Admin-Key", AdminKey);
        return client;
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

        Directory.Delete(stateDirectory, recursive: true);
    }
}
