using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AzureEmulator.State;

namespace AzureEmulator.Tls;

/// <summary>
/// The emulator's own CA and its server certificate, kept in &lt;state&gt;/tls so clients trust them once:
/// ca.crt (PEM, what clients trust), server.crt + server.key, and trust/ containing only ca.crt for
/// SSL_CERT_DIR=&lt;state&gt;/tls/trust:/etc/ssl/certs. Reused across runs; renewed before expiry.
/// </summary>
public sealed class LocalCertificateAuthority
{
    public static readonly string[] ServerDnsNames = ["localhost", "emulator"];
    public static readonly IPAddress[] ServerIpAddresses = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(5 * 365);
    private static readonly TimeSpan ServerLifetime = TimeSpan.FromDays(365);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private LocalCertificateAuthority(string directory, X509Certificate2 caCertificate, X509Certificate2 serverCertificate)
    {
        Directory = directory;
        CaCertificate = caCertificate;
        ServerCertificate = serverCertificate;
    }

    public string Directory { get; }

    /// <summary>The PEM file other clients trust (NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, update-ca-certificates).</summary>
    public string CaCertificatePath => Path.Combine(Directory, "ca.crt");

    /// <summary>A directory holding only ca.crt, for SSL_CERT_DIR=&lt;this&gt;:/etc/ssl/certs.</summary>
    public string TrustDirectory => Path.Combine(Directory, "trust");

    public X509Certificate2 CaCertificate { get; }

    /// <summary>The server certificate with its private key, for Kestrel.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>Loads the CA and server certificate from &lt;stateDirectory&gt;/tls, creating or renewing what is missing or near expiry.</summary>
    public static LocalCertificateAuthority LoadOrCreate(string stateDirectory, TimeProvider time)
    {
        var directory = Path.Combine(stateDirectory, "tls");
        PrivateFiles.CreateDirectory(directory);
        var now = time.GetUtcNow();

        var caPath = Path.Combine(directory, "ca.crt");
        var caKeyPath = Path.Combine(directory, "ca.key");
        var ca = TryLoad(caPath, caKeyPath, now) is { } saved && saved.Extensions[NameConstraints.Oid] is not null ? saved : null;
        var caRenewed = false;
        if (ca is null)
        {
            ca = CreateCa(now);
            WritePem(caKeyPath, ExportKey(ca));
            WritePem(caPath, ca.ExportCertificatePem());
            caRenewed = true;
        }

        var serverPath = Path.Combine(directory, "server.crt");
        var serverKeyPath = Path.Combine(directory, "server.key");
        var server = caRenewed ? null : TryLoad(serverPath, serverKeyPath, now);
        if (server is null || !IssuedBy(server, ca))
        {
            server = CreateServer(ca, now);
            WritePem(serverKeyPath, ExportKey(server));
            WritePem(serverPath, server.ExportCertificatePem());
        }

        var trust = Path.Combine(directory, "trust");
        PrivateFiles.CreateDirectory(trust);
        var trusted = Path.Combine(trust, "ca.crt");
        if (!File.Exists(trusted) || File.ReadAllText(trusted) != File.ReadAllText(caPath))
        {
            WritePem(trusted, ca.ExportCertificatePem());
        }

        // Kestrel on Windows needs a key that is not ephemeral; a PKCS#12 round trip gives one on every OS.
        var serverWithKey = X509CertificateLoader.LoadPkcs12(server.Export(X509ContentType.Pkcs12), password: null);
        return new LocalCertificateAuthority(directory, ca, serverWithKey);
    }

    private static X509Certificate2? TryLoad(string certPath, string keyPath, DateTimeOffset now)
    {
        if (!File.Exists(certPath) || !File.Exists(keyPath))
        {
            return null;
        }

        try
        {
            var cert = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            return cert.NotAfter.ToUniversalTime() - now.UtcDateTime > RenewBefore ? cert : null;
        }
        catch (CryptographicException)
        {
            // A damaged certificate is only a cache of something we can re-create; clients re-trust the new CA.
            return null;
        }
    }

    private static bool IssuedBy(X509Certificate2 server, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }

    private static X509Certificate2 CreateCa(DateTimeOffset now)
    {
        using var key = RSA.Create(3072);
        var request = new CertificateRequest("CN=RoleViewer AzureEmulator local CA, O=RoleViewer (local development only)", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(NameConstraints.Permitting(ServerDnsNames, ServerIpAddresses));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.Add(CaLifetime));
    }

    private static X509Certificate2 CreateServer(X509Certificate2 ca, DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in ServerDnsNames)
        {
            san.AddDnsName(name);
        }

        foreach (var ip in ServerIpAddresses)
        {
            san.AddIpAddress(ip);
        }

        request.CertificateExtensions.Add(san.Build());

        var notAfter = now.Add(ServerLifetime) < ca.NotAfter ? now.Add(ServerLifetime) : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var unsigned = request.Create(ca, now.AddMinutes(-5), notAfter, serial);
        return unsigned.CopyWithPrivateKey(key);
    }

    private static string ExportKey(X509Certificate2 cert) => cert.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem();

    private static void WritePem(string path, string pem)
    {
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        PrivateFiles.WriteAllText(temp, pem);
        File.Move(temp, path, overwrite: true);
    }
}
