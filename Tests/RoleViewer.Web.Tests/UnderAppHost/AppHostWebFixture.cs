using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace RoleViewer.Web.Tests.UnderAppHost;

/// <summary>The whole AppHost (emulator, api, web) once for the end-to-end class; its tests run one after another.</summary>
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
