using Azure.Core;

namespace RoleViewer.Api.Arm;

/// <summary>
/// Where Azure Resource Manager is and which token it takes, built once from <see cref="ArmOptions"/>. The ARM client's
/// bearer policy and the principal lookup ask for the token through this one type: their requests must be equal for
/// both to share one cached token (one exchange).
/// </summary>
public sealed record ArmEndpoint(Uri Uri, string Audience)
{
    /// <summary>The scope of ARM's access token: "{Audience}/.default".</summary>
    public string DefaultScope => Audience.TrimEnd('/') + "/.default";

    /// <summary>The token request the ARM client's <see cref="Azure.Core.Pipeline.BearerTokenAuthenticationPolicy"/> makes (isCaeEnabled as it sets it).</summary>
    public TokenRequestContext TokenRequest => new([DefaultScope], isCaeEnabled: true);

    public static ArmEndpoint From(ArmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.Endpoint, options.Audience);
    }
}
