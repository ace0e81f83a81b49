namespace AzureEmulator.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(1, LogLevel.Information,
        "Emulator CA certificate: {CaCertificatePath} (Node: NODE_EXTRA_CA_CERTS={CaCertificatePath}; .NET on Linux: SSL_CERT_DIR={TrustDirectory}:/etc/ssl/certs). Public origin: {Origin}")]
    public static partial void EmulatorStarted(this ILogger logger, string caCertificatePath, string trustDirectory, string origin);
}
