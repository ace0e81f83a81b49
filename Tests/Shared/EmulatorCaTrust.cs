using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RoleViewer.Testing;

/// <summary>
/// HTTP handlers that trust exactly the AzureEmulator's local CA. In-process clients need this because OpenSSL reads
/// SSL_CERT_DIR only once, at process start; child processes get SSL_CERT_DIR as under the AppHost.
/// Shared as source (linked into each test and benchmark project) so no project depends on another's tests.
/// </summary>
internal static class EmulatorCaTrust
{
    public static HttpClientHandler CreateHandler(X509Certificate2 ca) => CreateHandler(() => ca);

    /// <summary>Reads the CA file when the first connection is made, so the handler may exist before the emulator.</summary>
    public static HttpClientHandler CreateHandler(string caFile)
    {
        X509Certificate2? ca = null;
        return CreateHandler(() => ca ??= File.Exists(caFile) ? X509CertificateLoader.LoadCertificateFromFile(caFile) : null);
    }

    private static HttpClientHandler CreateHandler(Func<X509Certificate2?> ca) => new()
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => IsIssuedBy(ca(), certificate, errors),
    };

    private static bool IsIssuedBy(X509Certificate2? ca, X509Certificate2? certificate, SslPolicyErrors errors)
    {
        // Only an untrusted chain may be overridden; a wrong host name or a missing certificate stays an error.
        if (ca is null || certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
