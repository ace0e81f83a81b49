using System.ComponentModel.DataAnnotations;

namespace AzureEmulator.Hosting;

/// <summary>Settings of the whole emulator (configuration section "Emulator").</summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>Where certificates, keys and the directory/authorization state live; outside the repository.</summary>
    [Required]
    public string StateDirectory { get; set; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "roleviewer", "emulator");

    /// <summary>The https origin clients use (the AppHost's proxied endpoint); null means the address Kestrel listens on.</summary>
    public Uri? PublicOrigin { get; set; }

    /// <summary>
    /// The per-run secret the admin API demands (header Emulator-Admin-Key). The AppHost generates it and hands it to
    /// the emulator and the web's Try-it only. Unset: the admin API answers 401 to everyone.
    /// </summary>
    [MinLength(32, ErrorMessage = "Emulator:AdminKey must be at least 32 characters; the AppHost generates a random one per run.")]
    public string? AdminKey { get; set; }

    /// <summary>Folder holding the seed files (directory.json, authorization.json) copied to the build output.</summary>
    [Required]
    public string SeedDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "Seed");

    /// <summary>
    /// Where the projected service-account token is written (the AppHost passes the same path to the API as
    /// AZURE_FEDERATED_TOKEN_FILE). Null: no token file is written; the issuer and token endpoint still work.
    /// </summary>
    public string? ServiceAccountTokenFile { get; set; }

    /// <summary>Namespace in the minted token's subject, system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;.</summary>
    [Required, RegularExpression("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", ErrorMessage = "Emulator:ServiceAccountNamespace must be a Kubernetes name (lower-case letters, digits, '-').")]
    public string ServiceAccountNamespace { get; set; } = "roleviewer";

    /// <summary>Service-account name in the minted token's subject.</summary>
    [Required, RegularExpression("^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$", ErrorMessage = "Emulator:ServiceAccountName must be a Kubernetes name (lower-case letters, digits, '-', '.').")]
    public string ServiceAccountName { get; set; } = "roleviewer-api";

    /// <summary>The cluster's id in its issuer URL, https://&lt;origin&gt;/oidc/&lt;ClusterId&gt;/ (AKS: the cluster's OIDC GUID).</summary>
    [Required, RegularExpression("^[A-Za-z0-9-]{1,64}$")]
    public string ClusterId { get; set; } = "7c4e2a90-5d1b-4f3a-b6e8-19d0c2f4a7b3";

    /// <summary>Lifetime of the projected token; the kubelet rotates it at 80 %. AKS allows 3600–86400; shorter helps tests.</summary>
    [Range(10, 86_400)]
    public int ServiceAccountTokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>expires_in of issued access tokens (Entra: 60–90 min by default, 24 h for managed identities).</summary>
    [Range(600, 86_400)]
    public int AccessTokenLifetimeSeconds { get; set; } = 3599;

    /// <summary>
    /// refresh_in of token responses. Null follows Entra: sent (as half the lifetime) only for tokens longer than 2 h.
    /// </summary>
    [Range(60, 86_400)]
    public int? AccessTokenRefreshInSeconds { get; set; }
}
