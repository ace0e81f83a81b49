using Azure.Identity;

namespace AzureEmulator.Tests;

/// <summary>
/// Tests that set the workload-identity webhook's process environment variables; they must not run in parallel
/// with each other because environment variables are process-wide.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WebhookEnvironmentTests
{
    public const string Name = "Webhook environment";
}

public static class WebhookEnvironment
{
    /// <summary>
    /// Builds an unmodified WorkloadIdentityCredential the way a pod does: from the four webhook variables alone.
    /// The only option is DisableInstanceDiscovery (the apps set it); the transport trusts the emulator's CA, which
    /// SSL_CERT_DIR does for a separate process.
    /// </summary>
    public static WorkloadIdentityCredential CreateCredential(EmulatorFixture emulator, string? tokenFile = null, string? clientId = null, string? tenantId = null)
    {
        var variables = new Dictionary<string, string>(emulator.WebhookEnvironment(tokenFile, clientId));
        if (tenantId is not null)
        {
            variables["AZURE_TENANT_ID"] = tenantId;
        }

        var previous = variables.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            return new WorkloadIdentityCredential(new WorkloadIdentityCredentialOptions
            {
                DisableInstanceDiscovery = true,
                Transport = emulator.CreateTransport(),
            });
        }
        finally
        {
            foreach (var (name, value) in previous)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
