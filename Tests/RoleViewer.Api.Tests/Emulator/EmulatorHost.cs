using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace RoleViewer.Api.Tests.Emulator;

/// <summary>
/// The real AzureEmulator in-process (the kit's <see cref="InProcessEmulator"/>), started once its projected token is
/// written, plus the settings the AppHost gives the API.
/// </summary>
public sealed class EmulatorHost : InProcessEmulator
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await ReadTokenFileAsync(CancellationToken.None);
    }

    /// <summary>The webhook's variables plus the subscription and ARM endpoint, as the AppHost gives them to the API.</summary>
    public Dictionary<string, string?> ApiSettings()
    {
        var settings = WebhookEnvironment().ToDictionary(e => e.Key, string? (e) => e.Value);
        settings["AZURE_SUBSCRIPTION_ID"] = SeedIds.SubscriptionId;
        // As the AppHost gives it: the https origin without a trailing slash.
        settings["Arm:Endpoint"] = Origin.ToString().TrimEnd('/');
        return settings;
    }
}

/// <summary>
/// The API in-process with its real credential and ARM client, pointed at the emulator; with <paramref name="time"/>,
/// its cache TTL, StaleAfter and failure backoff run on that clock instead of the machine's.
/// </summary>
public sealed class EmulatorApiFactory(EmulatorHost emulator, Action<Dictionary<string, string?>>? configure = null, TimeProvider? time = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = emulator.ApiSettings();
        settings["Arm:MaxRetries"] = "1";
        configure?.Invoke(settings);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.AddSingleton<HttpPipelineTransport>(emulator.CreateTransport());
            if (time is not null)
            {
                services.AddSingleton(time);
            }
        });
    }
}
