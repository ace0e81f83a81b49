using System.Globalization;
using System.Text.RegularExpressions;

namespace RoleViewer.Web.Dashboard;

public static partial class Format
{
    public static string Utc(DateTimeOffset? at) =>
        at is { } value ? value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    public static string Iso(DateTimeOffset? at) =>
        at is { } value ? value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) : "";

    /// <summary>A moment as people say it: "12 s ago", "in 54 min", "today 06:12 UTC", "5 Jan 2026".</summary>
    public static string Human(DateTimeOffset at, DateTimeOffset now)
    {
        var span = now - at;
        var ahead = span < TimeSpan.Zero;
        var distance = ahead ? -span : span;
        if (distance < TimeSpan.FromHours(1))
        {
            var text = distance < TimeSpan.FromMinutes(1) ? $"{(int)distance.TotalSeconds} s" : $"{(int)distance.TotalMinutes} min";
            return ahead ? $"in {text}" : $"{text} ago";
        }

        var utc = at.ToUniversalTime();
        return utc.Date == now.ToUniversalTime().Date
            ? utc.ToString("'today' HH:mm 'UTC'", CultureInfo.InvariantCulture)
            : utc.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
    }

    /// <summary>Rewrites the round-trip timestamps in a diagnostic text ("2026-12-02T06:12:43.5059520+00:00") as "2026-12-02 06:12:43 UTC".</summary>
    public static string HumanizeTimestamps(string text) =>
        IsoTimestamp().Replace(text, match => DateTimeOffset.TryParse(match.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? Utc(at)
            : match.Value);

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")]
    private static partial Regex IsoTimestamp();

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
