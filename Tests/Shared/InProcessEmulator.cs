#if EMULATOR_ALIASED
// A project that also references a web app with a global Program references the emulator under this alias.
extern alias Emulator;
#endif

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
#if EMULATOR_ALIASED
using Emulator::AzureEmulator.Admin;
using Emulator::AzureEmulator.Diagnostics;
using Emulator::AzureEmulator.Tls;
using EmulatorProgram = Emulator::Program;
#else
using AzureEmulator.Admin;
using AzureEmulator.Diagnostics;
using AzureEmulator.Tls;
using EmulatorProgram = Program;
#endif

namespace RoleViewer.Testing;

/// <summary>
/// Runs the AzureEmulator in-process on real Kestrel with TLS on random loopback ports, with a throw-away state
/// directory: https for everything, http for /health and /alive, the projected token written to <see cref="TokenFile"/>.
/// Subclass and override <see cref="Settings"/> or <see cref="Clock"/> for other configuration.
/// Shared as source (linked into the emulator's and the API's tests), like <see cref="EmulatorCaTrust"/>.
/// </summary>
public class InProcessEmulator : IAsyncLifetime
{
    public const string ArmApiVersion = "2022-04-01";

    private readonly bool _deleteStateOnDispose;
    private EmulatorApplicationFactory? _factory;

    public InProcessEmulator()
        : this(Directory.CreateTempSubdirectory("roleviewer-emulator-test-").FullName, deleteStateOnDispose: true)
    {
    }

    /// <summary>Runs on an existing state directory (e.g. to restart an emulator on the state another one saved).</summary>
    protected InProcessEmulator(string stateDirectory, bool deleteStateOnDispose)
    {
        StateDirectory = stateDirectory;
        _deleteStateOnDispose = deleteStateOnDispose;
    }

    public static string SubscriptionScope => "/subscriptions/" + SeedIds.SubscriptionId;

    public string StateDirectory { get; }

    public string TokenFile => Path.Combine(StateDirectory, "sa", "azure-identity-token");

    /// <summary>The https origin, e.g. https://127.0.0.1:41234 (what AZURE_AUTHORITY_HOST and Arm__Endpoint get).</summary>
    public Uri Origin { get; private set; } = null!;

    /// <summary>The plain-http origin, which serves only /health and /alive.</summary>
    public Uri HttpOrigin { get; private set; } = null!;

    public string CaCertificatePath => Path.Combine(StateDirectory, "tls", "ca.crt");

    public string TrustDirectory => Path.Combine(StateDirectory, "tls", "trust");

    public X509Certificate2 CaCertificate { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    /// <summary>This run's admin key, as the AppHost generates one per run.</summary>
    public string AdminKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Configuration keys (e.g. "Emulator:ServiceAccountTokenLifetimeSeconds") and values; override to change them.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>The emulator's clock (token lifetimes, throttling buckets); override with a fake one to drive time.</summary>
    protected virtual TimeProvider Clock => TimeProvider.System;

    public virtual ValueTask InitializeAsync()
    {
        // The CA is created first so Kestrel can be given the same server certificate the emulator would use.
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

        _factory = new EmulatorApplicationFactory(settings, Clock);
        _factory.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(authority.ServerCertificate));
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        _factory.StartServer();

        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Origin = new Uri(addresses.First(a => a.StartsWith("https://", StringComparison.Ordinal)));
        HttpOrigin = new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
        return ValueTask.CompletedTask;
    }

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
        ["AZURE_CLIENT_ID"] = clientId ?? SeedIds.ApiClientId,
        ["AZURE_TENANT_ID"] = SeedIds.TenantId,
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

    /// <summary>Sums the counts of one section of /admin/counters ("tokenExchanges", "armCalls") that match.</summary>
    public async Task<long> CountAsync(string section, Func<JsonElement, bool> predicate, CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        var counters = await client.GetFromJsonAsync<JsonElement>("/admin/counters", cancellationToken);
        return counters.GetProperty(section).EnumerateArray().Where(predicate).Sum(c => c.GetProperty("count").GetInt64());
    }

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

    public async Task PutFaultsAsync(string target, object faults, CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        using var response = await client.PutAsJsonAsync($"/admin/faults/{target}", faults, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync(string target, CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        using var response = await client.DeleteAsync($"/admin/faults/{target}", cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Points the Api identity's federated credential at another service-account subject.</summary>
    public async Task SetFederatedSubjectAsync(string subject, CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        var directory = await client.GetFromJsonAsync<JsonElement>("/admin/directory", cancellationToken);
        var credential = directory.GetProperty("directory").GetProperty("identities").EnumerateArray()
            .Single(i => i.GetProperty("clientId").GetString() == SeedIds.ApiClientId)
            .GetProperty("federatedCredentials").EnumerateArray().Single();
        using var response = await client.PutAsJsonAsync($"/admin/identities/{SeedIds.ApiClientId}/federated-credentials/{credential.GetProperty("name").GetString()}", new
        {
            issuer = credential.GetProperty("issuer").GetString(),
            subject,
            audiences = credential.GetProperty("audiences"),
        }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Calls ARM as the seeded operator (Owner at the subscription), with a token from the admin API.</summary>
    public async Task<HttpResponseMessage> ArmAsOperatorAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        using var tokenResponse = await client.PostAsJsonAsync("/admin/tokens",
            new { clientId = SeedIds.OperatorClientId, resource = "https://management.azure.com/", lifetimeSeconds = 3600 }, cancellationToken);
        tokenResponse.EnsureSuccessStatusCode();
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("access_token").GetString();
        using var request = new HttpRequestMessage(method, $"{path}?api-version={ArmApiVersion}");
        request.Headers.Authorization = new("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await client.SendAsync(request, cancellationToken);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        try
        {
            if (_deleteStateOnDispose)
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

    private sealed class EmulatorApplicationFactory(IReadOnlyDictionary<string, string?> settings, TimeProvider clock) : WebApplicationFactory<EmulatorProgram>
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
