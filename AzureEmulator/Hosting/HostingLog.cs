using System.Security.Cryptography.X509Certificates;
using AzureEmulator.Tls;

namespace AzureEmulator.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(Level = LogLevel.Information,
        Message = "Emulator CA certificate: {CaCertificatePath} (Node: NODE_EXTRA_CA_CERTS={CaCertificatePath}; .NET on Linux: SSL_CERT_DIR={TrustDirectory}:/etc/ssl/certs). Public origin: {Origin}")]
    internal static partial void EmulatorStarted(ILogger logger, string caCertificatePath, string trustDirectory, string origin);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "HTTPS certificate: {Kind} ({Subject}, thumbprint {Thumbprint}). {Reason}")]
    private static partial void ServerCertificateTrusted(ILogger logger, ServerCertificateKind kind, string subject, string thumbprint, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "HTTPS certificate: {Kind} ({Subject}, thumbprint {Thumbprint}). {Reason} Fix: run '{Fix}' once, then restart the AppHost.")]
    private static partial void ServerCertificateNeedsTrust(ILogger logger, ServerCertificateKind kind, string subject, string thumbprint, string reason, string fix);

    internal static void ServerCertificateChosen(ILogger logger, ServerCertificateChoice choice, X509Certificate2 certificate)
    {
        if (choice.Fix is { } fix)
        {
            ServerCertificateNeedsTrust(logger, choice.Kind, certificate.Subject, certificate.Thumbprint, choice.Reason, fix);
        }
        else
        {
            ServerCertificateTrusted(logger, choice.Kind, certificate.Subject, certificate.Thumbprint, choice.Reason);
        }
    }
}
