extern alias Emulator;

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
using Microsoft.Extensions.DependencyInjection;
using CertificateAuthority = Emulator::AzureEmulator.Tls.LocalCertificateAuthority;
using EmulatorProgram = Emulator::Program;

namespace RoleViewer.Api.Tests.Emulator;

/// <summary>
/// The real AzureEmulator in-process on Kestrel with TLS (loopback, random ports, temporary state), as
/// Tests/AzureEmulator.Tests' fixture does it, plus the admin calls the API's tests need.
/// </summary>
public sealed class EmulatorHost : IAsyncLifetime
{
    public const string ArmApiVersion = "2022-04-01";
    public const string OperatorClientId = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
    public const string SubscriptionScope = "/subscriptions/" + TestIds.SubscriptionId;

    private WebApplicationFactory<EmulatorProgram>? _factory;
    private X509Certificate2 _ca = null!;

    public string StateDirectory { get; } = Directory.CreateTempSubdirectory("roleviewer-api-emulator-").FullName;
    public string TokenFile => Path.Combine(StateDirectory, "sa", "azure-identity-token");
    public Uri Origin { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var authority = CertificateAuthority.LoadOrCreate(StateDirectory, TimeProvider.System);
        _ca = authority.CaCertificate;
        _factory = new EmulatorFactory(new()
        {
            ["Emulator:StateDirectory"] = StateDirectory,
            ["Emulator:ServiceAccountTokenFile"] = TokenFile,
            ["Emulator:AdminKey"] = AdminKey,
        });
        _factory.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(authority.ServerCertificate));
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Origin = new Uri(addresses.First(a => a.StartsWith("https://", StringComparison.Ordinal)));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!File.Exists(TokenFile))
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the run; /tmp is cleaned by the OS.
        }
    }

    /// <summary>A handler that trusts the emulator's CA: the in-process stand-in for SSL_CERT_DIR.</summary>
    public HttpClientHandler CreateHandler() => EmulatorCaTrust.CreateHandler(_ca);

    public HttpPipelineTransport CreateTransport() => new HttpClientTransport(CreateHandler());

    /// <summary>This run's admin key, as the AppHost generates one per run.</summary>
    public string AdminKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>A client of the emulator's owner: trusts its CA and sends the admin key.</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient(CreateHandler()) { BaseAddress = Origin, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("Emulator-Admin-Key", AdminKey);
        return client;
    }

    /// <summary>The webhook's variables plus the subscription and ARM endpoint, as the AppHost gives them to the API.</summary>
    public Dictionary<string, string?> ApiSettings() => new()
    {
        ["AZURE_CLIENT_ID"] = TestIds.ClientId,
        ["AZURE_TENANT_ID"] = TestIds.TenantId,
        ["AZURE_FEDERATED_TOKEN_FILE"] = TokenFile,
        ["AZURE_AUTHORITY_HOST"] = Origin.ToString(),
        ["AZURE_SUBSCRIPTION_ID"] = TestIds.SubscriptionId,
        // As the AppHost gives it: the https origin without a trailing slash.
        ["Arm:Endpoint"] = Origin.ToString().TrimEnd('/'),
    };

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

    public async Task SetFederatedSubjectAsync(string subject, CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        var directory = await client.GetFromJsonAsync<JsonElement>("/admin/directory", cancellationToken);
        var credential = directory.GetProperty("directory").GetProperty("identities").EnumerateArray()
            .Single(i => i.GetProperty("clientId").GetString() == TestIds.ClientId)
            .GetProperty("federatedCredentials").EnumerateArray().Single();
        using var response = await client.PutAsJsonAsync($"/admin/identities/{TestIds.ClientId}/federated-credentials/{credential.GetProperty("name").GetString()}", new
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
            new { clientId = OperatorClientId, resource = "https://management.azure.com/", lifetimeSeconds = 3600 }, cancellationToken);
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

    public async Task<long> CountAsync(string section, Func<JsonElement, bool> predicate, CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        var counters = await client.GetFromJsonAsync<JsonElement>("/admin/counters", cancellationToken);
        return counters.GetProperty(section).EnumerateArray().Where(predicate).Sum(c => c.GetProperty("count").GetInt64());
    }

    private sealed class EmulatorFactory(Dictionary<string, string?> settings) : WebApplicationFactory<EmulatorProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
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
            services.AddSingleton(emulator.CreateTransport());
            if (time is not null)
            {
                services.AddSingleton(time);
            }
        });
    }
}
