using System.ComponentModel.DataAnnotations;

namespace RoleViewer.Web.Dashboard;

public sealed class DashboardCacheOptions
{
    public const string SectionName = "Dashboard:Cache";

    /// <summary>How long one snapshot serves every page view. The Api caches its own answers for longer, so a
    /// short TTL costs nothing in freshness and turns a thousand concurrent views into one Api round trip.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Past its TTL, a snapshot younger than this is still served while one load replaces it in the
    /// background; an older one makes the caller wait for the new load.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxStale { get; set; } = TimeSpan.FromSeconds(10);
}
