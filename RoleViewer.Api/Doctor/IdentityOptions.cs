using System.ComponentModel.DataAnnotations;

namespace RoleViewer.Api.Doctor;

/// <summary>Configuration section "Identity": how often the identity doctor verifies the federation with a fresh exchange, and how long it reuses its report.</summary>
public sealed class IdentityOptions
{
    public const string SectionName = "Identity";

    /// <summary>
    /// The doctor's fresh token exchange (the probe) runs at most once per this period; its result is served in between.
    /// Not below 5 s, so a page polling the doctor cannot turn into a stream of token requests to Entra.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The doctor's report is reused for up to this long while nothing it is made of changed (the last probe, the
    /// process's last exchange, the last listing or its failure, the token file); 0 diagnoses on every request.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan ReportCacheTtl { get; set; } = TimeSpan.FromSeconds(1);
}
