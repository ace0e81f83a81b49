using System.Globalization;
using AzureEmulator.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AzureEmulator.Arm;

/// <summary>Who called ARM, from a validated access token.</summary>
/// <param name="ObjectId">oid: what role assignments name as principalId.</param>
/// <param name="ClientId">appid/azp.</param>
/// <param name="DisplayName">What ARM's AuthorizationFailed message calls the client (a service principal's object id, a user's upn).</param>
public sealed record ArmCaller(Guid ObjectId, string ClientId, string DisplayName);

/// <summary>
/// Checks bearer tokens as ARM does: signature by the tenant's Entra keys, issuer of the subscription's tenant,
/// one of ARM's audiences, not expired, and an oid. Failures carry ARM's 401 codes and messages.
/// </summary>
public sealed class ArmBearerValidator(EntraSigningKeys keys, TimeProvider time)
{
    /// <summary>The audiences ARM accepts, in the order its error message lists them.</summary>
    public static readonly IReadOnlyList<string> Audiences =
        ["https://management.core.windows.net/", "https://management.core.windows.net", "https://management.azure.com/", "https://management.azure.com"];

    private readonly JsonWebTokenHandler _handler = new();

    public async Task<(ArmCaller? Caller, ArmError? Error)> ValidateAsync(string? authorization, string tenantId)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return Fail("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
        }

        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || authorization.Length <= 7)
        {
            return Fail("AuthenticationFailed", "Authentication failed. The 'Authorization' header is provided in an invalid format.");
        }

        var result = await _handler.ValidateTokenAsync(authorization[7..].Trim(), new TokenValidationParameters
        {
            IssuerSigningKeys = keys.ValidationKeys,
            ValidateIssuerSigningKey = true,
            // Issuer, audience and lifetime are checked below, each with ARM's own error code and this emulator's clock.
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token)
        {
            return Fail("InvalidAuthenticationToken", "The access token is invalid.");
        }

        var expectedIssuer = keys.IssuerFor(tenantId);
        if (!string.Equals(token.Issuer, expectedIssuer, StringComparison.OrdinalIgnoreCase))
        {
            return Fail("InvalidAuthenticationTokenTenant",
                $"The access token is from the wrong issuer '{token.Issuer}'. It must match the tenant '{expectedIssuer}' associated with this subscription. " +
                $"Please use the authority (URL) 'https://login.windows.net/{tenantId}' to get the token.");
        }

        var audience = token.Audiences.FirstOrDefault() ?? "";
        if (!token.Audiences.Any(a => Audiences.Contains(a, StringComparer.OrdinalIgnoreCase)))
        {
            return Fail("InvalidAuthenticationTokenAudience",
                $"The access token has been obtained for wrong audience or resource '{audience}'. It should exactly match with one of the allowed audiences " +
                string.Join(",", Audiences.Select(a => $"'{a}'")) + ".");
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (token.ValidTo <= now)
        {
            return Fail("ExpiredAuthenticationToken",
                $"The access token expiry UTC time '{Format(token.ValidTo)}' is earlier than current UTC time '{Format(now)}'.");
        }

        if (!token.TryGetPayloadValue<string>("oid", out var oid) || !Guid.TryParse(oid, out var objectId))
        {
            return Fail("InvalidAuthenticationToken",
                "The received access token is not valid: at least one of the claims 'puid' or 'altsecid' or 'oid' should be present. " +
                "If you are accessing as application please make sure service principal is properly created in the tenant.");
        }

        var clientId = token.TryGetPayloadValue<string>("appid", out var appid) ? appid
            : token.TryGetPayloadValue<string>("azp", out var azp) ? azp : "";
        var displayName = token.TryGetPayloadValue<string>("upn", out var upn) ? upn : objectId.ToString();
        return (new ArmCaller(objectId, clientId, displayName), null);
    }

    private static (ArmCaller?, ArmError?) Fail(string code, string message) => (null, new ArmError(401, code, message)
    {
        Challenge = $"Bearer authorization_uri=\"https://login.windows.net/\", error=\"invalid_token\", error_description=\"{message.Replace("\"", "'", StringComparison.Ordinal)}\"",
    });

    // ARM prints times the way .NET's invariant culture does, e.g. '5/13/2024 6:05:58 PM'.
    private static string Format(DateTime utc) => utc.ToString("M/d/yyyy h:mm:ss tt", CultureInfo.InvariantCulture);
}
