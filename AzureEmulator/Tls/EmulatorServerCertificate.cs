using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;

namespace AzureEmulator.Tls;

/// <summary>The certificate Kestrel serves HTTPS with, and why it was chosen (logged at start).</summary>
public sealed class EmulatorServerCertificate
{
    private EmulatorServerCertificate(ServerCertificateChoice choice, X509Certificate2 certificate)
    {
        Choice = choice;
        Certificate = certificate;
    }

    public ServerCertificateChoice Choice { get; }

    public X509Certificate2 Certificate { get; }

    /// <param name="findDevelopmentCertificate">Looks the development certificate up; only called where it could be used.</param>
    public static EmulatorServerCertificate Select(
        OSPlatform os, LocalCertificateAuthority authority, Func<X509Certificate2?> findDevelopmentCertificate)
    {
        var developmentCertificate = ServerCertificateChoice.ReadsSslCertDir(os) ? null : findDevelopmentCertificate();
        var choice = ServerCertificateChoice.For(os, DevelopmentCertificate.StateOf(developmentCertificate));
        return new EmulatorServerCertificate(choice,
            choice.Kind == ServerCertificateKind.DevelopmentCertificate ? developmentCertificate! : authority.ServerCertificate);
    }
}
