using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace RoleViewer.Api.Identity;

/// <summary>
/// Builds the WorkloadIdentityCredential from the webhook's variables. Not DefaultAzureCredential: its chain would
/// silently fall through to other credentials (IMDS, CLI) and make failures hard to explain.
/// </summary>
public static class WorkloadCredentialFactory
{
    public static TokenCredential Create(WorkloadIdentitySettings settings, HttpPipelineTransport? transport)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string[] missing = [.. new (string Name, string? Value)[]
            {
                (WorkloadIdentitySettings.ClientIdVariable, settings.ClientId),
                (WorkloadIdentitySettings.TenantIdVariable, settings.TenantId),
                (WorkloadIdentitySettings.TokenFileVariable, settings.TokenFile),
            }
            .Where(v => v.Value is null).Select(v => v.Name)];
        if (missing.Length > 0)
        {
            return new UnavailableCredential(
                $"Workload identity is not configured: {string.Join(", ", missing)} not set. The workload-identity webhook injects these " +
                "when the pod carries the label azure.workload.identity/use: \"true\" and its service account the annotation azure.workload.identity/client-id.");
        }

        try
        {
            var options = new WorkloadIdentityCredentialOptions
            {
                ClientId = settings.ClientId,
                TenantId = settings.TenantId,
                TokenFilePath = settings.TokenFile,
                AuthorityHost = new Uri(settings.EffectiveAuthorityHost),
                DisableInstanceDiscovery = !WorkloadIdentitySettings.IsMicrosoftAuthority(settings.EffectiveAuthorityHost),
            };
            if (transport is not null)
            {
                options.Transport = transport;
            }

            return new WorkloadIdentityCredential(options);
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException)
        {
            return new UnavailableCredential(
                $"{WorkloadIdentitySettings.AuthorityHostVariable} '{settings.AuthorityHost}' or {WorkloadIdentitySettings.TenantIdVariable} " +
                $"'{settings.TenantId}' is invalid: {e.Message} The authority host must be an https URL such as {WorkloadIdentitySettings.DefaultAuthorityHost}.");
        }
    }
}
