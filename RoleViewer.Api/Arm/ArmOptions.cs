using System.ComponentModel.DataAnnotations;

namespace RoleViewer.Api.Arm;

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
}
