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
    private const string RoleViewerReaderAssignment = "d3f5a7c9-1b2d-4e6f-8a0b-2c4e6a8c0e1f";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await ReadTokenFileAsync(CancellationToken.None);
    }

    /// <summary>
    /// Deletes the seeded "RoleViewer Reader" assignment of the API's identity through ARM; disposing the result puts it
    /// back under the same id, so the tests that follow see the seeded assignments again.
    /// </summary>
    public async Task<IAsyncDisposable> RevokeSeededRoleViewerReaderAsync(CancellationToken ct)
    {
        var path = $"{SubscriptionScope}/providers/Microsoft.Authorization/roleAssignments/{RoleViewerReaderAssignment}";
        using (var revoke = await ArmAsOperatorAsync(HttpMethod.Delete, path, null, ct))
        {
            Assert.True(revoke.IsSuccessStatusCode, await revoke.Content.ReadAsStringAsync(ct));
        }

        return new Restoration(async () =>
        {
            using var restore = await ArmAsOperatorAsync(HttpMethod.Put, path, new
            {
                properties = new
                {
                    roleDefinitionId = $"{SubscriptionScope}/providers/Microsoft.Authorization/roleDefinitions/{SeedIds.RoleId("RoleViewer Reader")}",
                    principalId = TestIds.ObjectId,
                    principalType = "ServicePrincipal",
                },
            }, ct);
            Assert.True(restore.IsSuccessStatusCode, await restore.Content.ReadAsStringAsync(ct));
        });
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

/// <summary>Runs its restore when disposed.</summary>
internal sealed class Restoration(Func<Task> restore) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await restore();
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
