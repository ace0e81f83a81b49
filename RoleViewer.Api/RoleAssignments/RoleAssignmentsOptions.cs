using System.ComponentModel.DataAnnotations;

namespace RoleViewer.Api.RoleAssignments;

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
