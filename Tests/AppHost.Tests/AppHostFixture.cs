using Microsoft.Extensions.DependencyInjection;

namespace AppHost.Tests;

/// <summary>
/// Starts the whole AppHost once for the test class, with the dashboard on (http, API key) so tests can read the
/// telemetry it collected.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    public string DashboardApiKey { get; } = Guid.NewGuid().ToString("N");

    public DistributedApplication App { get; private set; } = null!;

    // Its own emulator state, never the developer's ~/.local/state: runs neither see nor change each other's grants.
    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("roleviewer-apphost-tests-").FullName;

    public async ValueTask InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--Emulator:StateDirectory={_stateDirectory}"],
            (options, _) =>
            {
                options.DisableDashboard = false;
                options.AllowUnsecuredTransport = true;
            },
            cts.Token);
        builder.Configuration["AppHost:DashboardApiKey"] = DashboardApiKey;
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());

        App = await builder.BuildAsync(cts.Token);
        await App.StartAsync(cts.Token);

        foreach (var resource in new[] { "emulator", "api", "web" })
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
        }
    }

    public HttpClient CreateDashboardClient()
    {
        var client = new HttpClient { BaseAddress = App.GetEndpoint("aspire-dashboard", "http") };
        client.DefaultRequestHeaders.Add("X-API-Key", DashboardApiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        Directory.Delete(_stateDirectory, recursive: true);
    }
}
