using System.Runtime.InteropServices;

namespace AzureEmulator.Tls;

/// <summary>Which certificate the emulator serves HTTPS with.</summary>
public enum ServerCertificateKind
{
    /// <summary>Issued by the emulator's own CA; .NET clients trust it through SSL_CERT_DIR, which only OpenSSL (Linux) reads.</summary>
    EmulatorCa,

    /// <summary>The ASP.NET Core HTTPS development certificate, which 'dotnet dev-certs https --trust' puts in the OS trust store.</summary>
    DevelopmentCertificate,
}

/// <summary>What this machine has of the ASP.NET Core HTTPS development certificate.</summary>
public enum DevelopmentCertificateState
{
    Missing,
    Untrusted,
    Trusted,
}

/// <param name="Kind">The certificate to serve.</param>
/// <param name="Reason">Why, in one sentence for the start-up log.</param>
/// <param name="Fix">The one command that makes clients trust the emulator, or null when nothing is needed.</param>
public sealed record ServerCertificateChoice(ServerCertificateKind Kind, string Reason, string? Fix)
{
    public const string TrustDevelopmentCertificate = "dotnet dev-certs https --trust";

    /// <summary>
    /// Where .NET reads SSL_CERT_DIR (OpenSSL: Linux, FreeBSD), the emulator's own CA needs no machine-wide change.
    /// Elsewhere .NET trusts only the OS store, which the development certificate is in once 'dotnet dev-certs https
    /// --trust' has run: the step Aspire already asks of its users. No service learns anything about the emulator.
    /// </summary>
    public static ServerCertificateChoice For(OSPlatform os, DevelopmentCertificateState developmentCertificate)
    {
        if (ReadsSslCertDir(os))
        {
            return new(ServerCertificateKind.EmulatorCa,
                ".NET on this OS reads SSL_CERT_DIR, which the AppHost points at the emulator's CA for api and web.", Fix: null);
        }

        return developmentCertificate switch
        {
            DevelopmentCertificateState.Trusted => new(ServerCertificateKind.DevelopmentCertificate,
                ".NET on this OS trusts only the OS certificate store, and the ASP.NET Core HTTPS development certificate is trusted there.", Fix: null),
            DevelopmentCertificateState.Untrusted => new(ServerCertificateKind.DevelopmentCertificate,
                ".NET on this OS trusts only the OS certificate store, and the ASP.NET Core HTTPS development certificate is not trusted yet, " +
                "so api and web will fail to reach the emulator (The SSL connection could not be established).",
                TrustDevelopmentCertificate),
            _ => new(ServerCertificateKind.EmulatorCa,
                ".NET on this OS trusts only the OS certificate store, and this user has no ASP.NET Core HTTPS development certificate, " +
                "so the emulator falls back to its own CA, which api and web do not trust.",
                TrustDevelopmentCertificate),
        };
    }

    /// <summary>Whether .NET on <paramref name="os"/> validates TLS with OpenSSL, which reads SSL_CERT_DIR.</summary>
    public static bool ReadsSslCertDir(OSPlatform os) => os == OSPlatform.Linux || os == OSPlatform.FreeBSD;

    /// <summary>The OS this process runs on, as <see cref="For"/> distinguishes them.</summary>
    public static OSPlatform CurrentOs() =>
        OperatingSystem.IsWindows() ? OSPlatform.Windows
        : OperatingSystem.IsMacOS() ? OSPlatform.OSX
        : OperatingSystem.IsFreeBSD() ? OSPlatform.FreeBSD
        : OSPlatform.Linux;
}
