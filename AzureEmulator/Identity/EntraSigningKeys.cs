using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AzureEmulator.Hosting;
using AzureEmulator.State;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AzureEmulator.Identity;

/// <summary>What an Entra access token is issued for.</summary>
/// <param name="Identity">The service principal the token represents (its object id becomes oid/sub).</param>
/// <param name="TenantId">tid, and the tenant in iss.</param>
/// <param name="Audience">aud: the resource, e.g. "https://management.azure.com/" (the scope without "/.default").</param>
/// <param name="Lifetime">exp − iat.</param>
public sealed record AccessTokenRequest(DirectoryIdentity Identity, string TenantId, string Audience, TimeSpan Lifetime);

/// <summary>An issued access token and its expiry.</summary>
public sealed record IssuedAccessToken(string AccessToken, DateTimeOffset IssuedAt, DateTimeOffset ExpiresOn);

/// <summary>
/// The key that signs Entra access tokens (persisted at &lt;state&gt;/keys/entra-signing.pem, with the self-signed
/// certificate Entra publishes for it at entra-signing.crt) and the minting of those tokens. Tokens are v1 app-only
/// tokens as ARM receives them: iss https://sts.windows.net/{tenant}/, ver 1.0, appid = client id with appidacr
/// (v1 has no azp), oid = sub = service-principal object id, idtyp app; the header names the key by kid and x5t,
/// both the certificate's base64url SHA-1 thumbprint, as Entra's do.
/// </summary>
public sealed class EntraSigningKeys
{
    private readonly RsaSecurityKey _key;
    private readonly X509Certificate2 _certificate;
    private readonly SigningCredentials _signing;
    private readonly TimeProvider _time;
    private readonly string _issuerAuthority = "https://sts.windows.net/";
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public EntraSigningKeys(IOptions<EmulatorOptions> options, TimeProvider time)
    {
        var keyFile = Path.Combine(options.Value.StateDirectory, "keys", "entra-signing.pem");
        _key = RsaKeyFile.LoadOrCreate(keyFile);
        _certificate = LoadOrCreateCertificate(Path.ChangeExtension(keyFile, ".crt"), _key.Rsa);
        Thumbprint = Base64UrlEncoder.Encode(_certificate.GetCertHash());
        _key.KeyId = Thumbprint;
        // An X.509 key makes the token handler write x5t; the kid is Entra's form of the same thumbprint.
        _signing = new X509SigningCredentials(_certificate.CopyWithPrivateKey(_key.Rsa), SecurityAlgorithms.RsaSha256);
        _signing.Key.KeyId = Thumbprint;
        _time = time;
        ValidationKeys = [new RsaSecurityKey(_key.Rsa.ExportParameters(includePrivateParameters: false)) { KeyId = _key.KeyId }];
    }

    /// <summary>x5t and kid of access tokens: the base64url SHA-1 thumbprint of the signing certificate.</summary>
    public string Thumbprint { get; }

    /// <summary>Public keys that verify access tokens (what Entra's /discovery/v2.0/keys serves).</summary>
    public IReadOnlyList<SecurityKey> ValidationKeys { get; }

    /// <summary>Entra's keys document: kty, use, kid, x5t, n, e, x5c (no alg), as /discovery/v2.0/keys serves it.</summary>
    public EntraKeysDocument Jwks
    {
        get
        {
            var parameters = _key.Rsa.ExportParameters(includePrivateParameters: false);
            return new([new EntraJwk("RSA", "sig", Thumbprint, Thumbprint, Base64UrlEncoder.Encode(parameters.Modulus), Base64UrlEncoder.Encode(parameters.Exponent),
                [Convert.ToBase64String(_certificate.RawData)])]);
        }
    }

    /// <summary>The iss of access tokens for a tenant (v1 form, as in real ARM tokens).</summary>
    public string IssuerFor(string tenantId) => _issuerAuthority + tenantId + "/";

    public string CreateAccessToken(AccessTokenRequest request) => Issue(request).AccessToken;

    public IssuedAccessToken Issue(AccessTokenRequest request)
    {
        var now = _time.GetUtcNow();
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expiresOn = issuedAt + request.Lifetime;
        var issuer = IssuerFor(request.TenantId);
        var claims = new Dictionary<string, object>
        {
            ["aud"] = request.Audience,
            ["iss"] = issuer,
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["nbf"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = expiresOn.ToUnixTimeSeconds(),
            ["appid"] = request.Identity.ClientId,
            ["appidacr"] = "2",
            ["idp"] = issuer,
            ["idtyp"] = "app",
            ["oid"] = request.Identity.ObjectId,
            ["sub"] = request.Identity.ObjectId,
            ["tid"] = request.TenantId,
            ["uti"] = Base64UrlEncoder.Encode(Guid.NewGuid().ToByteArray()),
            ["ver"] = "1.0",
        };
        if (request.Identity.ManagedIdentityResourceId is { } mirid)
        {
            claims["xms_mirid"] = mirid;
        }

        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = _signing,
            Subject = new ClaimsIdentity(),
        });
        return new IssuedAccessToken(token, issuedAt, expiresOn);
    }

    // Entra publishes each signing key with a certificate; its thumbprint names the key. Kept beside the key and
    // made again when it no longer matches the key (a deleted or replaced entra-signing.pem).
    private static X509Certificate2 LoadOrCreateCertificate(string path, RSA rsa)
    {
        var modulus = rsa.ExportParameters(includePrivateParameters: false).Modulus!;
        if (File.Exists(path))
        {
            try
            {
                var saved = X509Certificate2.CreateFromPem(File.ReadAllText(path));
                if (saved.GetRSAPublicKey()?.ExportParameters(false).Modulus?.AsSpan().SequenceEqual(modulus) == true)
                {
                    return saved;
                }
            }
            catch (CryptographicException)
            {
                // Unreadable: made again below, like one that belongs to another key.
            }
        }

        var request = new CertificateRequest("CN=RoleViewer emulator Entra token signing", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        // Public, but the state folder's rule holds for every file in it (0600 from creation on).
        PrivateFiles.WriteAllText(temp, created.ExportCertificatePem());
        File.Move(temp, path, overwrite: true);
        return X509CertificateLoader.LoadCertificate(created.RawData);
    }
}

/// <summary>One key of Entra's keys document.</summary>
public sealed record EntraJwk(string Kty, string Use, string Kid, string X5t, string N, string E, IReadOnlyList<string> X5c);

/// <summary>Entra's keys document: {"keys":[…]}.</summary>
public sealed record EntraKeysDocument(IReadOnlyList<EntraJwk> Keys);
