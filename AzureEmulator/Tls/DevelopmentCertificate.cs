using System.Security.Cryptography.X509Certificates;

namespace AzureEmulator.Tls;

/// <summary>
/// The ASP.NET Core HTTPS development certificate, found where Kestrel and 'dotnet dev-certs' keep it: the current
/// user's personal store (CurrentUser\My; the login keychain on macOS), subject CN=localhost, marked with the
/// ASP.NET Core development certificate extension.
/// </summary>
public static class DevelopmentCertificate
{
    /// <summary>The extension 'dotnet dev-certs' puts on the certificates it creates.</summary>
    public const string ExtensionOid = "1.3.6.1.4.1.311.84.1.1";

    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>The usable development certificate among <paramref name="candidates"/> (valid now, with its private key), the newest if several.</summary>
    public static X509Certificate2? Pick(IEnumerable<X509Certificate2> candidates, DateTimeOffset now) => candidates
        .Where(c => c.Subject == "CN=localhost"
            && c.Extensions.Any(e => e.Oid?.Value == ExtensionOid)
            && c.HasPrivateKey
            && c.NotBefore.ToUniversalTime() <= now.UtcDateTime
            && now.UtcDateTime < c.NotAfter.ToUniversalTime())
        .OrderByDescending(c => c.NotAfter)
        .FirstOrDefault();

    /// <summary>Reads the current user's personal store; null when there is no usable development certificate.</summary>
    public static X509Certificate2? FindInCurrentUserStore(DateTimeOffset now)
    {
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        return Pick(store.Certificates, now);
    }

    /// <summary>
    /// Whether a .NET client on this machine would accept the certificate: a chain to a root in the OS trust store,
    /// built the way HttpClient validates a server (server-authentication use, no revocation: the certificate is self-signed).
    /// </summary>
    public static bool IsTrusted(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ServerAuthenticationOid));
        return chain.Build(certificate);
    }

    public static DevelopmentCertificateState StateOf(X509Certificate2? certificate) =>
        certificate is null ? DevelopmentCertificateState.Missing
        : IsTrusted(certificate) ? DevelopmentCertificateState.Trusted
        : DevelopmentCertificateState.Untrusted;
}
