namespace RoleViewer.Api.Identity;

/// <summary>
/// What the workload-identity webhook (or the AppHost playing it) injected. Deliberately not validated at start:
/// a pod with a broken injection must still come up so GET /api/identity can say what is wrong.
/// </summary>
public sealed class WorkloadIdentitySettings
{
    public const string ClientIdVariable = "AZURE_CLIENT_ID";
    public const string TenantIdVariable = "AZURE_TENANT_ID";
    public const string TokenFileVariable = "AZURE_FEDERATED_TOKEN_FILE";
    public const string AuthorityHostVariable = "AZURE_AUTHORITY_HOST";
    public const string SubscriptionIdVariable = "AZURE_SUBSCRIPTION_ID";
    public const string PrincipalObjectIdVariable = "AZURE_SERVICE_PRINCIPAL_OBJECT_ID";
    public const string DefaultAuthorityHost = "https://login.microsoftonline.com/";

    public string? ClientId { get; set; }
    public string? TenantId { get; set; }
    public string? TokenFile { get; set; }
    public string? AuthorityHost { get; set; }
    public string? SubscriptionId { get; set; }

    /// <summary>Only an override: the object id normally comes from the access token's oid claim.</summary>
    public string? PrincipalObjectIdOverride { get; set; }

    public string EffectiveAuthorityHost => string.IsNullOrWhiteSpace(AuthorityHost) ? DefaultAuthorityHost : AuthorityHost;

    public static WorkloadIdentitySettings FromConfiguration(IConfiguration configuration) => new()
    {
        ClientId = NullIfEmpty(configuration[ClientIdVariable]),
        TenantId = NullIfEmpty(configuration[TenantIdVariable]),
        TokenFile = NullIfEmpty(configuration[TokenFileVariable]),
        AuthorityHost = NullIfEmpty(configuration[AuthorityHostVariable]),
        SubscriptionId = NullIfEmpty(configuration[SubscriptionIdVariable]),
        PrincipalObjectIdOverride = NullIfEmpty(configuration[PrincipalObjectIdVariable]),
    };

    /// <summary>
    /// Instance discovery asks login.microsoftonline.com about the authority; for a non-Microsoft host (the emulator)
    /// that call is slow offline and fatal online (AADSTS50049), so it is only kept for Microsoft cloud authorities.
    /// </summary>
    public static bool IsMicrosoftAuthority(string authorityHost) =>
        Uri.TryCreate(authorityHost, UriKind.Absolute, out var uri) && MicrosoftAuthorityHosts.Contains(uri.Host);

    private static readonly HashSet<string> MicrosoftAuthorityHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "sts.windows.net",
        "login.microsoftonline.us", "login.usgovcloudapi.net", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn",
        "login.microsoftonline.de",
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
