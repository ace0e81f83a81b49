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

    private readonly RsaSecurityKey _key;
    private readonly SigningCredentials _signing;
    private readonly EmulatorOrigin _origin;
    private readonly EmulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public ClusterIssuer(IOptions<EmulatorOptions> options, EmulatorOrigin origin, TimeProvider time)
    {
        _options = options.Value;
        _origin = origin;
        _time = time;
        _key = RsaKeyFile.LoadOrCreate(Path.Combine(_options.StateDirectory, "keys", "cluster-service-account.pem"));
        _signing = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256);
        ValidationKeys = [new RsaSecurityKey(_key.Rsa.ExportParameters(includePrivateParameters: false)) { KeyId = _key.KeyId }];
    }

    /// <summary>The iss of projected tokens, with AKS's trailing slash.</summary>
    public string Issuer => $"{_origin}{PathPrefix}/{_options.ClusterId}/";

    public IReadOnlyList<SecurityKey> ValidationKeys { get; }

    public JwksDocument Jwks => new([RsaKeyFile.ToPublicJwk(_key)]);

    /// <summary>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt; for the configured service account.</summary>
    public string Subject => SubjectFor(_options.ServiceAccountNamespace, _options.ServiceAccountName);

    public static string SubjectFor(string serviceAccountNamespace, string serviceAccountName) =>
        $"system:serviceaccount:{serviceAccountNamespace}:{serviceAccountName}";

    /// <summary>Mints the projected token for the configured service account, as kube-apiserver does for AKS.</summary>
    public ServiceAccountToken MintServiceAccountToken(TimeSpan? lifetime = null) =>
        Mint(_options.ServiceAccountNamespace, _options.ServiceAccountName, lifetime ?? TimeSpan.FromSeconds(_options.ServiceAccountTokenLifetimeSeconds), _time.GetUtcNow());

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
        var token = _handler.CreateToken(new SecurityTokenDescriptor { Claims = claims, SigningCredentials = _signing });
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
