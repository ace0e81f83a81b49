using System.Globalization;

namespace RoleViewer.Web.Dashboard;

public static class Format
{
    public static string Utc(DateTimeOffset? at) =>
        at is { } value ? value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    public static string Date(DateTimeOffset? at) =>
        at is { } value ? value.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";

    public static string Iso(DateTimeOffset? at) =>
        at is { } value ? value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) : "";

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "expired " + Duration(-span) + " ago";
        }

        return span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h"
            : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min {span.Seconds} s"
            : $"{span.Seconds} s";
    }

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
    };

    /// <summary>The process's working set against the container's cgroup memory limit, when one is set.</summary>
    public static string Memory(long workingSetBytes, long? limitBytes) => limitBytes is > 0 and var limit
        ? string.Create(CultureInfo.InvariantCulture, $"{Bytes(workingSetBytes)} working set of {Bytes(limit)} limit ({workingSetBytes * 100.0 / limit:0} %)")
        : $"{Bytes(workingSetBytes)} working set (no memory limit set)";

    /// <summary>Cores the runtime sees and, when the cgroup caps it, the share of CPU time the pod may use.</summary>
    public static string Cpu(int cores, double? limit) => (cores == 1 ? "1 core" : $"{cores} cores") + (limit is { } cap
        ? string.Create(CultureInfo.InvariantCulture, $", limited to {cap:0.##} CPU")
        : " (no CPU limit set)");

    public static string StatusLabel(string? status) => status switch
    {
        "ok" => "OK",
        "warn" => "Warning",
        "fail" => "Failed",
        _ => "Unknown",
    };

    public static string StatusIcon(string? status) => status switch
    {
        "ok" => "✔",
        "warn" => "⚠",
        "fail" => "✖",
        _ => "?",
    };

    public static string RoleTypeLabel(string? roleType) => roleType switch
    {
        "BuiltInRole" => "Built-in",
        "CustomRole" => "Custom",
        _ => roleType ?? "—",
    };
}
