using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RoleViewer.Load.Benchmarks;

/// <summary>The emulator, api and web of one configuration, with the meters and counters the figures need.</summary>
public interface IServices : IAsyncDisposable
{
    Uri Web { get; }

    Uri Api { get; }

    ProcessMeter WebProcess { get; }

    ProcessMeter ApiProcess { get; }

    /// <summary>Token exchanges and ARM calls the emulator has answered so far (all callers: only the api calls Azure).</summary>
    Task<long> AzureCallsAsync();
}

/// <summary>As deployed: Release builds started as processes, ASPNETCORE_ENVIRONMENT=Production, logs at Warning,
/// no OTLP endpoint (telemetry as ServiceDefaults sets it up in production: sampled, nothing exported).</summary>
public sealed class DeployedServices : IServices
{
    private readonly List<ChildProcess> _children = [];
    private readonly string _state = Directory.CreateTempSubdirectory("roleviewer-load-").FullName;
    private HttpClient _admin = null!;

    public Uri Web { get; private set; } = null!;

    public Uri Api { get; private set; } = null!;

    public ProcessMeter WebProcess { get; private set; } = null!;

    public ProcessMeter ApiProcess { get; private set; } = null!;

    public static async Task<DeployedServices> StartAsync()
    {
        var services = new DeployedServices();
        try
        {
            await services.StartChildrenAsync();
            return services;
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    private async Task StartChildrenAsync()
    {
        var configuration = typeof(DeployedServices).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var repo = Repository.Root;
        string Dll(string project) => Path.Combine(repo, project, "bin", configuration, "net10.0", project + ".dll");
        var tokenFile = Path.Combine(_state, "sa", "azure-identity-token");
        // The emulator's admin API answers its owner only (the AppHost generates this key per run).
        var adminKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var emulatorHttps = new Uri($"https://127.0.0.1:{ChildProcess.FreePort()}/");
        var emulatorHttp = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}/");
        Api = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}/");
        Web = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}/");
        var production = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
        };

        var emulator = Start(Dll("AzureEmulator"), $"--urls \"{emulatorHttps};{emulatorHttp}\"", new(production)
        {
            ["Emulator__StateDirectory"] = _state,
            ["Emulator__ServiceAccountTokenFile"] = tokenFile,
            ["Emulator__AdminKey"] = adminKey,
        });
        await emulator.WaitUntilHealthyAsync(new Uri(emulatorHttp, "health"), TimeSpan.FromSeconds(90));
        _admin = new HttpClient(EmulatorCaTrust.CreateHandler(Path.Combine(_state, "tls", "ca.crt"))) { BaseAddress = emulatorHttps };
        _admin.DefaultRequestHeaders.Add("Emulator-Admin-Key", adminKey);

        var api = Start(Dll("RoleViewer.Api"), $"--urls {Api}", new(production)
        {
            ["AZURE_CLIENT_ID"] = Seed.ApiClientId,
            ["AZURE_TENANT_ID"] = Seed.TenantId,
            ["AZURE_FEDERATED_TOKEN_FILE"] = tokenFile,
            ["AZURE_AUTHORITY_HOST"] = emulatorHttps.ToString(),
            ["AZURE_SUBSCRIPTION_ID"] = Seed.SubscriptionId,
            ["Arm__Endpoint"] = emulatorHttps.ToString(),
            ["SSL_CERT_DIR"] = $"{Path.Combine(_state, "tls", "trust")}:/etc/ssl/certs",
        });
        await api.WaitUntilHealthyAsync(new Uri(Api, "alive"), TimeSpan.FromSeconds(90));
        ApiProcess = new ProcessMeter(api.Process, "api");

        // No TryIt__Endpoint: the Try-it panel exists only in local runs, not as deployed.
        var web = Start(Dll("RoleViewer.Web"), $"--urls {Web}", new(production) { ["services__api__http__0"] = Api.ToString() });
        await web.WaitUntilHealthyAsync(new Uri(Web, "alive"), TimeSpan.FromSeconds(90));
        WebProcess = new ProcessMeter(web.Process, "web");
    }

    private ChildProcess Start(string dll, string arguments, Dictionary<string, string> environment)
    {
        var child = ChildProcess.Start(dll, arguments, environment);
        _children.Add(child);
        return child;
    }

    public Task<long> AzureCallsAsync() => Seed.CountAzureCallsAsync(_admin);

    public async ValueTask DisposeAsync()
    {
        foreach (var child in Enumerable.Reverse(_children))
        {
            await child.DisposeAsync();
        }

        _admin?.Dispose();
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
            // A child may hold a file for a moment; /tmp is cleaned by the OS.
        }
    }
}

/// <summary>Under the AppHost (Aspire's testing host, random ports, its own emulator state), with the dashboard on,
/// so api and web export every span over OTLP as in a local `dotnet run --project AppHost`.</summary>
public sealed class AppHostServices : IServices
{
    private readonly string _state = Directory.CreateTempSubdirectory("roleviewer-load-apphost-").FullName;
    private DistributedApplication _app = null!;
    private HttpClient _admin = null!;

    public Uri Web { get; private set; } = null!;

    public Uri Api { get; private set; } = null!;

    public ProcessMeter WebProcess { get; private set; } = null!;

    public ProcessMeter ApiProcess { get; private set; } = null!;

    public static async Task<AppHostServices> StartAsync()
    {
        var services = new AppHostServices();
        using var start = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--Emulator:StateDirectory={services._state}"],
            (options, _) =>
            {
                options.DisableDashboard = false;
                options.AllowUnsecuredTransport = true;
            },
            start.Token);
        // Marks this run's api and web processes, so their CPU time and working set can be read.
        var marker = $"ROLEVIEWER_LOAD_BENCHMARK={Guid.NewGuid():N}";
        foreach (var project in builder.Resources.OfType<ProjectResource>().Where(p => p.Name is "api" or "web").ToList())
        {
            builder.CreateResourceBuilder(project).WithEnvironment(marker.Split('=')[0], $"{marker.Split('=')[1]}-{project.Name}");
        }

        // Resource logs stay in the dashboard; the console shows the figures only.
        builder.Services.AddLogging(logging => logging.ClearProviders());
        services._app = await builder.BuildAsync(start.Token);
        await services._app.StartAsync(start.Token);
        foreach (var resource in new[] { "emulator", "api", "web" })
        {
            await services._app.ResourceNotifications.WaitForResourceHealthyAsync(resource, start.Token);
        }

        services.Web = services._app.GetEndpoint("web", "http");
        services.Api = services._app.GetEndpoint("api", "http");
        services.WebProcess = ProcessMeter.ForEnvironmentMarker($"{marker}-web", "web");
        services.ApiProcess = ProcessMeter.ForEnvironmentMarker($"{marker}-api", "api");
        services._admin = new HttpClient(EmulatorCaTrust.CreateHandler(Path.Combine(services._state, "tls", "ca.crt")))
        {
            BaseAddress = services._app.GetEndpoint("emulator", "https"),
        };
        var key = services._app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>().Single(p => p.Name == "emulator-admin-key");
        services._admin.DefaultRequestHeaders.Add("Emulator-Admin-Key", await key.GetValueAsync(start.Token));
        return services;
    }

    public Task<long> AzureCallsAsync() => Seed.CountAzureCallsAsync(_admin);

    public async ValueTask DisposeAsync()
    {
        _admin?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
            // The emulator may hold a file for a moment; /tmp is cleaned by the OS.
        }
    }
}

/// <summary>The emulator's seeded identities (AzureEmulator/Seed) and its counters.</summary>
public static class Seed
{
    public const string TenantId = "8a7d1c7e-3b6f-4a0e-9d2c-5f1e0b7c4a21";
    public const string SubscriptionId = "3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f";
    public const string ApiClientId = "5b1c9e7a-2d4f-4c3b-8a6e-0f9d8c7b6a54";

    public static async Task<long> CountAzureCallsAsync(HttpClient admin)
    {
        using var counters = JsonDocument.Parse(await admin.GetStringAsync("/admin/counters"));
        long Sum(string name) => counters.RootElement.GetProperty(name).EnumerateArray().Sum(c => c.GetProperty("count").GetInt64());
        return Sum("armCalls") + Sum("tokenExchanges");
    }
}

public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RoleViewer.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("RoleViewer.sln not found above " + AppContext.BaseDirectory);
    }

    public static Process Self => Process.GetCurrentProcess();
}
