using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RoleViewer.Api.Doctor;
using RoleViewer.Api.Identity;

namespace RoleViewer.Api.Tests;

/// <summary>The API in-process with a fake credential, a stub ARM and a controllable clock.</summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("roleviewer-api-tests-");

    public ApiFactory()
    {
        TokenFile = Path.Combine(_directory.FullName, "azure-identity-token");
        File.WriteAllText(TokenFile, TestJwt.ServiceAccountToken());
        Settings = new()
        {
            ["AZURE_CLIENT_ID"] = TestIds.ClientId,
            ["AZURE_TENANT_ID"] = TestIds.TenantId,
            ["AZURE_FEDERATED_TOKEN_FILE"] = TokenFile,
            ["AZURE_AUTHORITY_HOST"] = "https://localhost:5443/",
            ["AZURE_SUBSCRIPTION_ID"] = TestIds.SubscriptionId,
            ["Arm:Endpoint"] = "https://arm.test/",
            ["Arm:MaxRetries"] = "0",
            ["RoleAssignments:CacheTtl"] = "00:00:10",
            ["RoleAssignments:RefreshRateLimit"] = "00:00:05",
            ["Pod:CgroupRoot"] = _directory.FullName,
            ["Pod:SelfCgroupFile"] = Path.Combine(_directory.FullName, "self-cgroup"),
        };
    }

    public string TokenFile { get; }
    public string Root => _directory.FullName;
    public Dictionary<string, string?> Settings { get; }
    /// <summary>Answers both the process's credential and each probe's: both exchange with the same Entra.</summary>
    public FakeCredential Credential { get; } = new();

    /// <summary>How many probe credentials were built, i.e. how many probes ran.</summary>
    public int Probes => _probes;

    private int _probes;
    public StubArm Arm { get; } = new();
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddKeyedSingleton<TokenCredential>(IdentityExtensions.WorkloadCredentialKey, Credential);
            services.AddKeyedSingleton<Func<TokenCredential>>(IdentityProbe.CredentialFactoryKey, (_, _) => () =>
            {
                Interlocked.Increment(ref _probes);
                return Credential;
            });
            services.AddSingleton<HttpPipelineTransport>(new HttpClientTransport(new HttpClient(Arm)));
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _directory.Refresh();
        if (disposing && _directory.Exists)
        {
            _directory.Delete(recursive: true);
        }
    }
}
