using Microsoft.Extensions.Options;
using RoleViewer.Web.ApiClients;

namespace RoleViewer.Web.TryIt;

/// <summary>Local runs only: compares the federated credential in the emulator's directory with the token the api
/// pod presents, exactly as Entra does at the next exchange. The Api's doctor only sees a broken federation when
/// its cached access token runs out; this check shows it at once, so Try-it's "break federation" is visible.</summary>
public sealed partial class FederationCheck(EmulatorClient emulator, IOptions<EmulatorOptions> options, ILogger<FederationCheck> logger)
{
    public const string CheckId = "emulator.federatedCredential";
    private const string Title = "Federated credential trusts this pod (emulator directory)";

    public async Task<DoctorCheck?> RunAsync(IdentityReport? identity, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || identity is not { ClientId: { } clientId, ProjectedToken: { Subject: { } subject, Issuer: { } issuer } })
        {
            return null;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var credential = await emulator.FindFederatedCredentialAsync(clientId, timeout.Token);
            if (credential is null)
            {
                return new(CheckId, Title, "fail", $"The identity {clientId} has no federated credential '{options.Value.FederatedCredentialName}'.",
                    "Create it: PUT /admin/identities/{clientId}/federated-credentials/roleviewer-api, or use Repair federation below.");
            }

            if (!string.Equals(credential.Issuer, issuer, StringComparison.Ordinal))
            {
                return new(CheckId, Title, "fail",
                    $"AADSTS700211: the credential trusts issuer {credential.Issuer}, but the pod's token comes from {issuer}.",
                    "Set the credential's issuer to the cluster's OIDC issuer, or use Repair federation below.");
            }

            return string.Equals(credential.Subject, subject, StringComparison.Ordinal)
                ? new(CheckId, Title, "ok", $"The credential trusts {subject}, the service account the api pod runs as.", null)
                : new(CheckId, Title, "fail",
                    $"AADSTS700213: the credential trusts subject {credential.Subject}, but the api pod presents {subject}. " +
                    "The next token exchange fails with \"No matching federated identity record found for presented assertion subject\".",
                    $"Set the federated credential's subject to {subject} (az identity federated-credential update --subject {subject} …), or use Repair federation below.");
        }
        catch (Exception ex) when ((ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException) && !cancellationToken.IsCancellationRequested)
        {
            LogDirectoryUnreadable(logger, ex);
            return new(CheckId, Title, "warn", $"The emulator's directory could not be read: {ex.Message}",
                "Check that the emulator resource is running (Aspire dashboard) and that SSL_CERT_DIR trusts its CA.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the emulator's directory for the federation check")]
    private static partial void LogDirectoryUnreadable(ILogger logger, Exception exception);
}
