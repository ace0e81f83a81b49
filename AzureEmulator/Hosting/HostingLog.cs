using System.Security.Cryptography.X509Certificates;
using AzureEmulator.Tls;

namespace AzureEmulator.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(1, LogLevel.Information,
        "Emulator CA certificate: {CaCertificatePath} (Node: NODE_EXTRA_CA_CERTS={CaCertificatePath}; .NET on Linux: SSL_CERT_DIR={TrustDirectory}:/etc/ssl/certs). Public origin: {Origin}")]
    public static partial void EmulatorStarted(this ILogger logger, string caCertificatePath, string trustDirectory, string origin);

    [LoggerMessage(2, LogLevel.Information,
        "HTTPS certificate: {Kind} ({Subject}, thumbprint {Thumbprint}). {Reason}")]
    private static partial void ServerCertificateTrusted(this ILogger logger, ServerCertificateKind kind, string subject, string thumbprint, string reason);

    [LoggerMessage(3, LogLevel.Warning,
        "HTTPS certificate: {Kind} ({Subject}, thumbprint {Thumbprint}). {Reason} Fix: run '{Fix}' once, then restart the AppHost.")]
    private static partial void ServerCertificateNeedsTrust(this ILogger logger, ServerCertificateKind kind, string subject, string thumbprint, string reason, string fix);

    public static void ServerCertificateChosen(this ILogger logger, ServerCertificateChoice choice, X509Certificate2 certificate)
    {
        if (choice.Fix is { } fix)
        {
            logger.ServerCertificateNeedsTrust(choice.Kind, certificate.Subject, certificate.Thumbprint, choice.Reason, fix);
        }
        else
        {
            logger.ServerCertificateTrusted(choice.Kind, certificate.Subject, certificate.Thumbprint, choice.Reason);
        }
    }
}
