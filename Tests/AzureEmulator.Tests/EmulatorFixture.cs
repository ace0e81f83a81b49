using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using AzureEmulator.Admin;
using AzureEmulator.Diagnostics;
using AzureEmulator.Tls;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AzureEmulator.Tests;

/// <summary>
/// Runs the emulator in-process on real Kestrel with TLS on random loopback ports, with a throw-away state
/// directory: https for everything, http for /health and /alive, the projected token written to <see cref="TokenFile"/>.
/// Share one per test class (IClassFixture) unless a test changes the directory; subclass and override
/// <see cref="Settings"/> for other configuration.
/// </summary>
public class EmulatorFixture : IAsyncLifetime
{
    private EmulatorApplicationFactory? factory;

    public EmulatorFixture()
        : this(Directory.CreateTempSubdirectory("roleviewer-emulator-test-").FullName, deleteStateOnDispose: true)
    {
    }

    /// <summary>Runs on an existing state directory (e.g. to restart an emulator on the state another one saved).</summary>
    protected EmulatorFixture(string stateDirectory, bool deleteStateOnDispose)
    {
        StateDirectory = stateDirectory;
        this.deleteStateOnDispose = deleteStateOnDispose;
    }

    private readonly bool deleteStateOnDispose;

    public string StateDirectory { get; }

    public string TokenFile => Path.Combine(StateDirectory, "sa", "azure-identity-token");

    /// <summary>The https origin, e.g. https://127.0.0.1:41234 (what AZURE_AUTHORITY_HOST and Arm__Endpoint get).</summary>
    public Uri Origin { get; private set; } = null!;

    /// <summary>The plain-http origin, which serves only /health and /alive.</summary>
    public Uri HttpOrigin { get; private set; } = null!;

    public string CaCertificatePath => Path.Combine(StateDirectory, "tls", "ca.crt");

    public string TrustDirectory => Path.Combine(StateDirectory, "tls", "trust");

    public X509Certificate2 CaCertificate { get; private set; } = null!;

    public IServiceProvider Services => factory!.Services;

    /// <summary>Configuration keys (e.g. "Emulator:ServiceAccountTokenLifetimeSeconds") and values; override to change them.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>The emulator's clock (token lifetimes, throttling buckets); override with a fake one to drive time.</summary>
    protected virtual TimeProvider Clock => TimeProvider.System;

    public virtual ValueTask InitializeAsync()
    {
        // The fixture creates the CA first so Kestrel can be given the same server certificate the emulator would use.
        var authority = LocalCertificateAuthority.LoadOrCreate(StateDirectory, TimeProvider.System);
        CaCertificate = authority.CaCertificate;

        var settings = new Dictionary<string, string?>
        {
            ["Emulator:StateDirectory"] = StateDirectory,
            ["Emulator:ServiceAccountTokenFile"] = TokenFile,
            ["Emulator:AdminKey"] = AdminKey,
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        factory = new EmulatorApplicationFactory(settings, Clock);
        factory.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(authority.ServerCertificate));
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        factory.StartServer();

        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Origin = new Uri(addresses.First(a => a.StartsWith("https://", StringComparison.Ordinal)));
        HttpOrigin = new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
        return ValueTask.CompletedTask;
    }

    /// <summary>This run's admin key, as the AppHost generates one per run.</summary>
    public string AdminKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>An HttpClient on the https origin that trusts the emulator's CA (and nothing else) and, as the emulator's
    /// owner, sends the admin key.</summary>
    public HttpClient CreateClient()
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Add(AdminOwnerOnly.HeaderName, AdminKey);
        return client;
    }

    /// <summary>An HttpClient on the https origin that trusts the emulator's CA but does not know the admin key.</summary>
    public HttpClient CreateAnonymousClient() => new(CreateHandler()) { BaseAddress = Origin, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A handler that trusts the emulator's CA; for Azure SDK clients use <see cref="CreateTransport"/>.</summary>
    public HttpClientHandler CreateHandler() => EmulatorCaTrust.CreateHandler(CaCertificate);

    /// <summary>Azure SDK transport trusting the emulator's CA (in-process stand-in for SSL_CERT_DIR).</summary>
    public HttpClientTransport CreateTransport() => new(CreateHandler());

    /// <summary>The four variables the workload-identity webhook gives a pod, pointing at this emulator.</summary>
    public IReadOnlyDictionary<string, string> WebhookEnvironment(string? tokenFile = null, string? clientId = null) => new Dictionary<string, string>
    {
        ["AZURE_CLIENT_ID"] = clientId ?? SeedDirectory.ApiClientId,
        ["AZURE_TENANT_ID"] = SeedDirectory.TenantId,
        ["AZURE_FEDERATED_TOKEN_FILE"] = tokenFile ?? TokenFile,
        ["AZURE_AUTHORITY_HOST"] = Origin.ToString(),
    };

    public async Task<CountersSnapshot> GetCountersAsync(CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        return (await client.GetFromJsonAsync<CountersSnapshot>("/admin/counters", cancellationToken))!;
    }

    /// <summary>Successful exchanges counted for a client (or, with an outcome, exchanges with that outcome).</summary>
    public async Task<long> CountTokenExchangesAsync(string clientId, string outcome, CancellationToken cancellationToken) =>
        (await GetCountersAsync(cancellationToken)).TokenExchanges.Where(c => c.ClientId == clientId && c.Outcome == outcome).Sum(c => c.Count);

    /// <summary>Waits until the projected token file exists (it is written once Kestrel listens).</summary>
    public async Task<string> ReadTokenFileAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (!File.Exists(TokenFile))
        {
            await Task.Delay(20, timeout.Token);
        }

        return await File.ReadAllTextAsync(TokenFile, timeout.Token);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        try
        {
            if (deleteStateOnDispose)
            {
                Directory.Delete(StateDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held open must not fail the test run; the OS cleans /tmp.
        }

        GC.SuppressFinalize(this);
    }

    private sealed class EmulatorApplicationFactory(IReadOnlyDictionary<string, string?> settings, TimeProvider clock) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }
}

/// <summary>Ids from AzureEmulator/Seed/directory.json.</summary>
public static class SeedDirectory
{
    public const string TenantId = "8a7d1c7e-3b6f-4a0e-9d2c-5f1e0b7c4a21";
    public const string SubscriptionId = "3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f";
    public const string ApiClientId = "5b1c9e7a-2d4f-4c3b-8a6e-0f9d8c7b6a54";
    public const string ApiObjectId = "c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f";
    public const string OperatorClientId = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
    public const string OperatorObjectId = "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
    public const string ReaderLessClientId = "6e5d4c3b-2a19-4f08-b7c6-d5e4f3a2b1c0";
    public const string ReaderLessObjectId = "4b3a2918-0f7e-4d6c-a5b4-c3d2e1f0a9b8";
    public const string ApiSubject = "system:serviceaccount:roleviewer:roleviewer-api";
}
