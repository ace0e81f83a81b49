using System.ComponentModel.DataAnnotations;

namespace RoleViewer.Api.RoleAssignments;

/// <summary>Configuration section "Arm": where Azure Resource Manager is and how patiently to call it.</summary>
public sealed class ArmOptions
{
    public const string SectionName = "Arm";

    [Required]
    public Uri Endpoint { get; set; } = new("https://management.azure.com/");

    [Required]
    public string Audience { get; set; } = "https://management.azure.com/";

    /// <summary>Kept low: while ARM fails the API serves its last good list, so long retry chains only delay the answer.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A longer Retry-After (ARM throttling) ends the refresh instead of being waited out; the last good list is served meanwhile.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    public string Scope => Audience.TrimEnd('/') + "/.default";
}

/// <summary>Configuration section "RoleAssignments": caching of the listing and of role definitions.</summary>
public sealed class RoleAssignmentsOptions
{
    public const string SectionName = "RoleAssignments";

    /// <summary>How long a listing is served before ARM is asked again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The least time between two forced refreshes (?refresh=true); more often answers 429.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RefreshRateLimit { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Role definitions hardly change; resolve each once per this period.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RoleDefinitionTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After a failed listing, answer from that failure for this long before asking ARM again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan FailureBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>With a last good list at hand, wait this long for a slow refresh before serving that list as stale.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(2);
}
