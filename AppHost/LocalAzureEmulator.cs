using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// Run mode only: the AzureEmulator resource, and the AppHost playing AKS's workload-identity webhook for the API
/// (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST) plus trust of the emulator's CA.
/// Settings (AppHost configuration section "Emulator", e.g. Emulator__ServiceAccountName=other-sa) change what the
/// "cluster" mints and what the "webhook" injects, so the exchange fails locally exactly as it would in Azure.
/// </summary>
public static class LocalAzureEmulator
{
    /// <summary>The AppHost's view of the emulator: its resource and the values it shares with the API.</summary>
    public sealed record Emulator(
        IResourceBuilder<ProjectResource> Resource, EndpointReference Https, string StateDirectory, string TokenFile,
        string ClientId, string TenantId, string SubscriptionId, IResourceBuilder<ParameterResource> AdminKey)
    {
        /// <summary>The CA directory for SSL_CERT_DIR; the system directory stays listed so public roots remain trusted.</summary>
        public string SslCertDir => $"{Path.Combine(StateDirectory, "tls", "trust")}:/etc/ssl/certs";
    }

    public static Emulator AddLocalAzureEmulator(this IDistributedApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Emulator");
        var stateDirectory = settings["StateDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "roleviewer", "emulator");
        // The path AKS's webhook (v1.5 layout) mounts; here under the state directory, outside the repository.
        var tokenFile = Path.Combine(stateDirectory, "var", "run", "secrets", "azure", "tokens", "azure-identity-token");

        // The admin API mints Owner tokens: a fresh random key per run, given to the emulator and the web's Try-it only
        // (the dashboard shows it masked, as the secret parameter emulator-admin-key).
        var adminKey = builder.AddParameter("emulator-admin-key",
            Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), publishValueAsDefault: false, secret: true);
        var resource = builder.AddProject<Projects.AzureEmulator>("emulator", launchProfileName: "https");
        var https = resource.GetEndpoint("https");
        resource
            .WithHttpHealthCheck("/health", endpointName: "http")
            .WithEnvironment("Emulator__StateDirectory", stateDirectory)
            .WithEnvironment("Emulator__ServiceAccountTokenFile", tokenFile)
            .WithEnvironment("Emulator__ServiceAccountNamespace", settings["ServiceAccountNamespace"] ?? "roleviewer")
            .WithEnvironment("Emulator__ServiceAccountName", settings["ServiceAccountName"] ?? "roleviewer-api")
            .WithEnvironment("Emulator__PublicOrigin", https)
            .WithEnvironment("Emulator__AdminKey", adminKey);

        var seed = ReadSeed();
        return new Emulator(
            resource,
            https,
            stateDirectory,
            tokenFile,
            ClientId: settings["ClientId"] ?? seed.ApiClientId,
            TenantId: settings["TenantId"] ?? seed.TenantId,
            SubscriptionId: settings["SubscriptionId"] ?? seed.SubscriptionId,
            AdminKey: adminKey);
    }

    /// <summary>
    /// The tenant, subscription and API identity the emulator seeds, read from its seed file in its project folder (the
    /// one its build copies), so the ids the "webhook" injects are the seed's own and cannot drift from it.
    /// </summary>
    private static (string TenantId, string SubscriptionId, string ApiClientId) ReadSeed()
    {
        var seedFile = Path.Combine(Path.GetDirectoryName(new Projects.AzureEmulator().ProjectPath)!, "Seed", "directory.json");
        using var seed = JsonDocument.Parse(File.ReadAllText(seedFile));
        var directory = seed.RootElement;
        var api = directory.GetProperty("identities").EnumerateArray().First(i => i.GetProperty("kind").GetString() == "ManagedIdentity");
        return (directory.GetProperty("tenantId").GetString()!, directory.GetProperty("subscriptionIds")[0].GetString()!, api.GetProperty("clientId").GetString()!);
    }

    /// <summary>What the workload-identity webhook injects into a labelled pod, pointed at the emulator, and ARM's endpoint.</summary>
    public static IResourceBuilder<ProjectResource> WithWorkloadIdentity(this IResourceBuilder<ProjectResource> api, Emulator emulator) => api
        .WithEnvironment("AZURE_CLIENT_ID", emulator.ClientId)
        .WithEnvironment("AZURE_TENANT_ID", emulator.TenantId)
        .WithEnvironment("AZURE_FEDERATED_TOKEN_FILE", emulator.TokenFile)
        .WithEnvironment("AZURE_AUTHORITY_HOST", ReferenceExpression.Create($"{emulator.Https}/"))
        .WithEnvironment("AZURE_SUBSCRIPTION_ID", emulator.SubscriptionId)
        .WithEnvironment("Arm__Endpoint", emulator.Https)
        .WithEnvironment("SSL_CERT_DIR", emulator.SslCertDir)
        .WaitFor(emulator.Resource);

    /// <summary>The web's Try-it panel calls the emulator's admin and ARM endpoints directly.</summary>
    public static IResourceBuilder<ProjectResource> WithEmulatorEndpoint(this IResourceBuilder<ProjectResource> web, Emulator emulator) => web
        .WithEnvironment("TryIt__Endpoint", emulator.Https)
        .WithEnvironment("TryIt__AdminKey", emulator.AdminKey)
        .WithEnvironment("SSL_CERT_DIR", emulator.SslCertDir)
        .WaitFor(emulator.Resource);
}
