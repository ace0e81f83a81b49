using AzureEmulator.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AzureEmulator.Identity;

/// <summary>
/// The local "cluster": its service-account issuer (AKS form, with the trailing slash), the key that signs projected
/// service-account tokens (&lt;state&gt;/keys/cluster-service-account.pem) and the minting of those tokens.
/// </summary>
public sealed class ClusterIssuer
{
    /// <summary>Path segment of the issuer: https://&lt;origin&gt;/oidc/&lt;cluster id&gt;/ like AKS's https://oidc.prod-aks.azure.com/&lt;guid&gt;/.</summary>
    public const string PathPrefix = "/oidc";

    public const string TokenExchangeAudience = "api://AzureADTokenExchange";

    private readonly RsaSecurityKey key;
    private readonly SigningCredentials signing;
    private readonly EmulatorOrigin origin;
    private readonly EmulatorOptions options;
    private readonly TimeProvider time;
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    public ClusterIssuer(IOptions<EmulatorOptions> options, EmulatorOrigin origin, TimeProvider time)
    {
        this.options = options.Value;
        this.origin = origin;
        this.time = time;
        key = RsaKeyFile.LoadOrCreate(Path.Combine(this.options.StateDirectory, "keys", "cluster-service-account.pem"));
        signing = new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
        ValidationKeys = [new RsaSecurityKey(key.Rsa.ExportParameters(includePrivateParameters: false)) { KeyId = key.KeyId }];
    }

    /// <summary>The iss of projected tokens, with AKS's trailing slash.</summary>
    public string Issuer => $"{origin}{PathPrefix}/{options.ClusterId}/";

    public IReadOnlyList<SecurityKey> ValidationKeys { get; }

    public JwksDocument Jwks => new([RsaKeyFile.ToPublicJwk(key)]);

    /// <summary>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt; for the configured service account.</summary>
    public string Subject => SubjectFor(options.ServiceAccountNamespace, options.ServiceAccountName);

    public static string SubjectFor(string serviceAccountNamespace, string serviceAccountName) =>
        $"system:serviceaccount:{serviceAccountNamespace}:{serviceAccountName}";

    /// <summary>Mints the projected token for the configured service account, as kube-apiserver does for AKS.</summary>
    public ServiceAccountToken MintServiceAccountToken(TimeSpan? lifetime = null) =>
        Mint(options.ServiceAccountNamespace, options.ServiceAccountName, lifetime ?? TimeSpan.FromSeconds(options.ServiceAccountTokenLifetimeSeconds), time.GetUtcNow());

    /// <summary>Mints a token for any namespace/service account and time (tests use it for expired or foreign tokens).</summary>
    public ServiceAccountToken Mint(string serviceAccountNamespace, string serviceAccountName, TimeSpan lifetime, DateTimeOffset issuedAt, IReadOnlyList<string>? audiences = null)
    {
        var iat = issuedAt.ToUnixTimeSeconds();
        var exp = iat + (long)lifetime.TotalSeconds;
        var podName = $"{serviceAccountName}-local";
        var claims = new Dictionary<string, object>
        {
            ["aud"] = audiences ?? [TokenExchangeAudience],
            ["exp"] = exp,
            ["iat"] = iat,
            ["nbf"] = iat,
            ["iss"] = Issuer,
            ["jti"] = Guid.NewGuid().ToString(),
            ["kubernetes.io"] = new Dictionary<string, object>
            {
                ["namespace"] = serviceAccountNamespace,
                ["node"] = new Dictionary<string, object> { ["name"] = Environment.MachineName.ToLowerInvariant(), ["uid"] = StableUid("node", Environment.MachineName) },
                ["pod"] = new Dictionary<string, object> { ["name"] = podName, ["uid"] = StableUid("pod", serviceAccountNamespace, podName) },
                ["serviceaccount"] = new Dictionary<string, object> { ["name"] = serviceAccountName, ["uid"] = StableUid("serviceaccount", serviceAccountNamespace, serviceAccountName) },
            },
            ["sub"] = SubjectFor(serviceAccountNamespace, serviceAccountName),
        };
        var token = handler.CreateToken(new SecurityTokenDescriptor { Claims = claims, SigningCredentials = signing });
        return new ServiceAccountToken(token, DateTimeOffset.FromUnixTimeSeconds(iat), DateTimeOffset.FromUnixTimeSeconds(exp));
    }

    // Kubernetes objects keep their uid for their lifetime; derive it from the name so it survives restarts.
    private static string StableUid(params string[] parts)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('/', parts)));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}

public sealed record ServiceAccountToken(string Token, DateTimeOffset IssuedAt, DateTimeOffset ExpiresOn);
