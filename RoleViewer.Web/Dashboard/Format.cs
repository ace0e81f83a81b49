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

    public static string Bytes(long? bytes) => bytes switch
    {
        null => "no limit",
        >= 1L << 30 => $"{bytes.Value / (double)(1L << 30):0.##} GiB",
        >= 1L << 20 => $"{bytes.Value / (double)(1L << 20):0.#} MiB",
        _ => $"{bytes.Value / 1024.0:0.#} KiB",
    };

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
