using System.Security.Claims;
using AzureEmulator.Hosting;
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
/// The key that signs Entra access tokens (persisted at &lt;state&gt;/keys/entra-signing.pem) and the minting of
/// those tokens. Tokens are v1 app-only tokens as ARM receives them: iss https://sts.windows.net/{tenant}/, ver 1.0,
/// appid/azp = client id, oid = sub = service-principal object id, idtyp app.
/// </summary>
public sealed class EntraSigningKeys
{
    private readonly RsaSecurityKey key;
    private readonly SigningCredentials signing;
    private readonly TimeProvider time;
    private readonly string issuerAuthority = "https://sts.windows.net/";
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    public EntraSigningKeys(IOptions<EmulatorOptions> options, TimeProvider time)
    {
        key = RsaKeyFile.LoadOrCreate(Path.Combine(options.Value.StateDirectory, "keys", "entra-signing.pem"));
        signing = new SigningCredentials(key, SecurityAlgorithms.RsaSha256);
        this.time = time;
        ValidationKeys = [new RsaSecurityKey(key.Rsa.ExportParameters(includePrivateParameters: false)) { KeyId = key.KeyId }];
    }

    /// <summary>Public keys that verify access tokens (what Entra's /discovery/v2.0/keys serves).</summary>
    public IReadOnlyList<SecurityKey> ValidationKeys { get; }

    public JwksDocument Jwks => new([RsaKeyFile.ToPublicJwk(key)]);

    /// <summary>The iss of access tokens for a tenant (v1 form, as in real ARM tokens).</summary>
    public string IssuerFor(string tenantId) => issuerAuthority + tenantId + "/";

    public string CreateAccessToken(AccessTokenRequest request) => Issue(request).AccessToken;

    public IssuedAccessToken Issue(AccessTokenRequest request)
    {
        var now = time.GetUtcNow();
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
            ["azp"] = request.Identity.ClientId,
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

        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = signing,
            Subject = new ClaimsIdentity(),
        });
        return new IssuedAccessToken(token, issuedAt, expiresOn);
    }
}
