using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using AzureEmulator.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AzureEmulator.Identity;

/// <summary>The form fields of a token request that matter; everything else (claims, client_info, x-client-*) is ignored.</summary>
public sealed record TokenRequestForm(string? GrantType, string? ClientId, string? ClientAssertionType, string? ClientAssertion, string? Scope, string? ClientSecret = null);

/// <summary>A successful token response, as Entra sends it (no client_info: MSAL.NET would validate one).</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("ext_expires_in")] long ExtExpiresIn,
    [property: JsonPropertyName("refresh_in"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? RefreshIn,
    [property: JsonPropertyName("access_token")] string AccessToken);

/// <summary>
/// Entra's client-credentials grant with a federated (jwt-bearer) client assertion, checked the way Entra does:
/// tenant → client → assertion shape → time window (5 min skew) → federated credential by issuer, subject and
/// audience (exact, case-sensitive) → RS256 signature against the cluster issuer's keys. An application may instead
/// send one of its client secrets (client_secret): a wrong or expired one is invalid_client (7000215, 7000222).
/// </summary>
public sealed partial class TokenExchange(
    DirectoryStore directory,
    ClusterIssuer clusterIssuer,
    EntraSigningKeys signingKeys,
    EmulatorOrigin origin,
    IOptions<EmulatorOptions> options,
    TimeProvider time)
{
    public const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>Entra accepts client assertions up to five minutes outside their nbf/exp window.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private static readonly string[] ArmResources = ["https://management.azure.com", "https://management.core.windows.net"];

    private readonly JsonWebTokenHandler _handler = new();

    public async Task<(TokenResponse? Response, EntraError? Error)> ExchangeAsync(string tenant, TokenRequestForm form)
    {
        if (!TenantPattern().IsMatch(tenant))
        {
            return Fail(EntraError.InvalidTenantName(tenant));
        }

        if (!directory.IsKnownTenant(tenant))
        {
            return Fail(EntraError.TenantNotFound(tenant));
        }

        if (string.IsNullOrEmpty(form.GrantType))
        {
            return Fail(EntraError.MissingParameter("grant_type"));
        }

        if (form.GrantType != "client_credentials")
        {
            return Fail(EntraError.UnsupportedGrantType(form.GrantType));
        }

        if (string.IsNullOrEmpty(form.ClientId))
        {
            return Fail(EntraError.MissingParameter("client_id"));
        }

        if (string.IsNullOrEmpty(form.ClientAssertion))
        {
            return string.IsNullOrEmpty(form.ClientSecret) ? Fail(EntraError.MissingAssertion()) : ExchangeSecret(tenant, form);
        }

        if (string.IsNullOrEmpty(form.ClientAssertionType))
        {
            return Fail(EntraError.MissingParameter("client_assertion_type"));
        }

        if (form.ClientAssertionType != JwtBearerAssertionType)
        {
            return Fail(EntraError.UnsupportedAssertionType(form.ClientAssertionType));
        }

        var identity = directory.FindByClientId(form.ClientId);
        if (identity is null)
        {
            return Fail(EntraError.ApplicationNotFound(form.ClientId, tenant));
        }

        if (string.IsNullOrEmpty(form.Scope))
        {
            return Fail(EntraError.MissingParameter("scope"));
        }

        var (audience, scopeError) = ResourceFromScope(form.Scope, tenant);
        if (scopeError is not null)
        {
            return Fail(scopeError);
        }

        var (assertion, parseError) = Parse(form.ClientAssertion);
        if (parseError is not null)
        {
            return Fail(parseError);
        }

        var now = time.GetUtcNow();
        var notBefore = assertion!.TryGetPayloadValue<long>("nbf", out var nbf) ? DateTimeOffset.FromUnixTimeSeconds(nbf) : (DateTimeOffset?)null;
        var expires = DateTimeOffset.FromUnixTimeSeconds(assertion.GetPayloadValue<long>("exp"));
        if (now > expires + ClockSkew || (notBefore is { } from && now < from - ClockSkew))
        {
            return Fail(EntraError.AssertionOutOfTime(now, notBefore, expires));
        }

        var matchError = MatchFederatedCredential(identity, assertion);
        if (matchError is not null)
        {
            return Fail(matchError);
        }

        var signatureError = await ValidateSignatureAsync(form.ClientAssertion);
        if (signatureError is not null)
        {
            return Fail(signatureError);
        }

        return (Respond(identity, audience!), null);
    }

    private (TokenResponse? Response, EntraError? Error) ExchangeSecret(string tenant, TokenRequestForm form)
    {
        var identity = directory.FindByClientId(form.ClientId!);
        if (identity is null)
        {
            return Fail(EntraError.ApplicationNotFound(form.ClientId!, tenant));
        }

        if (string.IsNullOrEmpty(form.Scope))
        {
            return Fail(EntraError.MissingParameter("scope"));
        }

        var (audience, scopeError) = ResourceFromScope(form.Scope, tenant);
        if (scopeError is not null)
        {
            return Fail(scopeError);
        }

        var secret = identity.ClientSecrets.FirstOrDefault(s => s.Matches(form.ClientSecret!));
        if (secret is null)
        {
            return Fail(EntraError.InvalidClientSecret(identity.ClientId));
        }

        return secret.EndDateTime <= time.GetUtcNow()
            ? Fail(EntraError.ExpiredClientSecret(identity.ClientId, secret.KeyId))
            : (Respond(identity, audience!), null);
    }

    private TokenResponse Respond(DirectoryIdentity identity, string audience)
    {
        var lifetime = TimeSpan.FromSeconds(options.Value.AccessTokenLifetimeSeconds);
        var issued = signingKeys.Issue(new AccessTokenRequest(identity, directory.TenantId, audience, lifetime));
        var expiresIn = (long)lifetime.TotalSeconds;
        long? refreshIn = options.Value.AccessTokenRefreshInSeconds ?? (expiresIn > 7200 ? expiresIn / 2 : (long?)null);
        return new TokenResponse("Bearer", expiresIn, expiresIn, refreshIn, issued.AccessToken);
    }

    private static bool IsSaneUnixTime(long seconds) =>
        seconds is >= 0 and < 32_503_680_000; // before 3000-01-01, far from DateTimeOffset's end so the clock-skew sums cannot overflow

    private static (TokenResponse?, EntraError?) Fail(EntraError error) => (null, error);

    /// <summary>"https://management.azure.com//.default" → "https://management.azure.com/"; ".../.default" → without the slash.</summary>
    private (string? Audience, EntraError? Error) ResourceFromScope(string scope, string tenant)
    {
        var scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var resourceScopes = scopes.Where(s => s is not ("openid" or "profile" or "offline_access")).ToArray();
        if (resourceScopes.Length != 1 || !resourceScopes[0].EndsWith("/.default", StringComparison.Ordinal))
        {
            return (null, EntraError.InvalidScope(scope));
        }

        var resource = resourceScopes[0][..^"/.default".Length];
        var withoutSlash = resource.TrimEnd('/');
        var known = ArmResources.Contains(withoutSlash, StringComparer.OrdinalIgnoreCase)
            || string.Equals(withoutSlash, origin.ToString(), StringComparison.OrdinalIgnoreCase);
        return known ? (resource, null) : (null, EntraError.ResourceNotFound(resource, tenant));
    }

    private static (JsonWebToken?, EntraError?) Parse(string assertion)
    {
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(assertion);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException or FormatException or System.Text.Json.JsonException)
        {
            return (null, EntraError.MalformedAssertion("the client_assertion is not a JWT"));
        }

        if (token.IsEncrypted)
        {
            return (null, EntraError.MalformedAssertion("encrypted client assertions are not supported"));
        }

        try
        {
            if (!token.TryGetPayloadValue<long>("exp", out var exp))
            {
                return (null, EntraError.MalformedAssertion("the assertion has no numeric 'exp' claim"));
            }

            // An absurd time (year 10000, negative) is the caller's malformed token, as Entra says: not our 500.
            if (!IsSaneUnixTime(exp) || (token.TryGetPayloadValue<long>("nbf", out var nbf) && !IsSaneUnixTime(nbf)))
            {
                return (null, EntraError.MalformedAssertion("the assertion's 'exp' or 'nbf' is not a time between 1970 and 3000"));
            }

            if (!token.TryGetPayloadValue<string>("iss", out var iss) || string.IsNullOrEmpty(iss))
            {
                return (null, EntraError.MalformedAssertion("the assertion has no 'iss' claim"));
            }

            if (!token.TryGetPayloadValue<string>("sub", out var sub) || string.IsNullOrEmpty(sub))
            {
                return (null, EntraError.MalformedAssertion("the assertion has no 'sub' claim"));
            }

            if (!token.Audiences.Any())
            {
                return (null, EntraError.MalformedAssertion("the assertion has no 'aud' claim"));
            }
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException or FormatException or InvalidCastException or System.Text.Json.JsonException)
        {
            return (null, EntraError.MalformedAssertion("a claim has the wrong type"));
        }

        return (token, null);
    }

    private static EntraError? MatchFederatedCredential(DirectoryIdentity identity, JsonWebToken assertion)
    {
        var issuer = assertion.GetPayloadValue<string>("iss");
        var subject = assertion.GetPayloadValue<string>("sub");
        var audiences = assertion.Audiences.ToArray();
        var credentials = identity.FederatedCredentials;

        var byIssuer = credentials.Where(f => f.Issuer == issuer).ToArray();
        if (byIssuer.Length == 0)
        {
            return credentials.Any(f => string.Equals(f.Issuer, issuer, StringComparison.OrdinalIgnoreCase))
                ? EntraError.CaseOnlyMismatch("issuer", issuer)
                : EntraError.IssuerMismatch(issuer);
        }

        var bySubject = byIssuer.Where(f => f.Subject == subject).ToArray();
        if (bySubject.Length == 0)
        {
            return byIssuer.Any(f => string.Equals(f.Subject, subject, StringComparison.OrdinalIgnoreCase))
                ? EntraError.CaseOnlyMismatch("subject", subject)
                : EntraError.SubjectMismatch(subject);
        }

        return bySubject.Any(f => f.Audiences.Any(audiences.Contains))
            ? null
            : EntraError.AudienceMismatch(string.Join(",", audiences));
    }

    private async Task<EntraError?> ValidateSignatureAsync(string assertion)
    {
        var parameters = new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireSignedTokens = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            IssuerSigningKeys = clusterIssuer.ValidationKeys,
            TryAllIssuerSigningKeys = false,
        };
        var result = await _handler.ValidateTokenAsync(assertion, parameters);
        return result.IsValid ? null : result.Exception switch
        {
            SecurityTokenInvalidAlgorithmException => EntraError.SignatureInvalid("The assertion must be signed with RS256."),
            SecurityTokenSignatureKeyNotFoundException => EntraError.SignatureInvalid("The key was not found in the issuer's JWKS."),
            _ => EntraError.SignatureInvalid("Key was found, but use of the key to verify the signature failed."),
        };
    }

    [GeneratedRegex("^[A-Za-z0-9.-]{1,256}$")]
    private static partial Regex TenantPattern();
}
