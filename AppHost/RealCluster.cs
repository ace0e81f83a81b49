using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// Diagnose a real AKS set-up from a laptop: with RealCluster:TokenFile set, a local run starts no emulator and gives
/// the api what the workload-identity webhook gives its pod in the cluster (AZURE_CLIENT_ID, AZURE_TENANT_ID,
/// AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST, AZURE_SUBSCRIPTION_ID), pointed at real Entra ID and ARM. The
/// token file holds a service-account token made with
/// 'kubectl create token &lt;sa&gt; -n &lt;ns&gt; --audience api://AzureADTokenExchange', so the api exchanges it exactly as its pod
/// would, and its doctor explains what fails. See README.md, "Diagnose a real cluster from your machine".
/// </summary>
public static class RealCluster
{
    public const string SectionName = "RealCluster";

    private static readonly string[] RequiredWithTokenFile = ["ClientId", "TenantId", "SubscriptionId"];

    public sealed record Settings(string TokenFile, string ClientId, string TenantId, string SubscriptionId, string AuthorityHost);

    /// <summary>The settings when RealCluster:TokenFile is set, otherwise null (the usual emulator run).</summary>
    /// <exception cref="InvalidOperationException">A setting is missing or the token file does not exist; the message says how to fix it.</exception>
    public static Settings? Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        if (string.IsNullOrWhiteSpace(section["TokenFile"]))
        {
            return null;
        }

        var missing = RequiredWithTokenFile.Where(key => string.IsNullOrWhiteSpace(section[key])).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException(
                $"RealCluster:TokenFile is set, so the api is to run against real Azure, but {string.Join(", ", missing.Select(k => $"RealCluster:{k}"))} " +
                "is not set. Pass the managed identity's client id, its tenant and the subscription to list, e.g. " +
                "--RealCluster:ClientId=$(az identity show -g <rg> -n <identity> --query clientId -o tsv) " +
                "--RealCluster:TenantId=$(az account show --query tenantId -o tsv) --RealCluster:SubscriptionId=$(az account show --query id -o tsv).");
        }

        var tokenFile = Path.GetFullPath(section["TokenFile"]!);
        if (!File.Exists(tokenFile))
        {
            throw new InvalidOperationException(
                $"RealCluster:TokenFile '{tokenFile}' does not exist. Write a service-account token of the cluster into it: " +
                $"kubectl create token <service-account> -n <namespace> --audience api://AzureADTokenExchange --duration 1h > {tokenFile}");
        }

        return new Settings(tokenFile, section["ClientId"]!.Trim(), section["TenantId"]!.Trim(), section["SubscriptionId"]!.Trim(),
            section["AuthorityHost"] is { Length: > 0 } authority ? authority : "https://login.microsoftonline.com/");
    }

    /// <summary>What the webhook injects into the pod, with the token taken from the cluster; ARM is the api's default (management.azure.com).</summary>
    public static IResourceBuilder<ProjectResource> WithRealClusterIdentity(this IResourceBuilder<ProjectResource> api, Settings settings) => api
        .WithEnvironment("AZURE_CLIENT_ID", settings.ClientId)
        .WithEnvironment("AZURE_TENANT_ID", settings.TenantId)
        .WithEnvironment("AZURE_FEDERATED_TOKEN_FILE", settings.TokenFile)
        .WithEnvironment("AZURE_AUTHORITY_HOST", settings.AuthorityHost)
        .WithEnvironment("AZURE_SUBSCRIPTION_ID", settings.SubscriptionId);
}
