using System.ComponentModel.DataAnnotations;

namespace RoleViewer.Api.Pod;

/// <summary>Configuration section "Pod": where the kernel's views live (tests point them at sample files).</summary>
public sealed class PodOptions
{
    public const string SectionName = "Pod";

    [Required]
    public string CgroupRoot { get; set; } = "/sys/fs/cgroup";

    /// <summary>The process's cgroup membership ("0::/path" on cgroup v2).</summary>
    [Required]
    public string SelfCgroupFile { get; set; } = "/proc/self/cgroup";

    [Required]
    public string LoadAverageFile { get; set; } = "/proc/loadavg";

    /// <summary>Limits, memory and load are re-read at most this often; in between /api/pod answers from the last sample.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);
}
