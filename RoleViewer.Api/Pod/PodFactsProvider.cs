using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace RoleViewer.Api.Pod;

/// <summary>
/// Facts about the pod from the Downward API variables, else from the host, and limits as cgroup v2 enforces them
/// (the old sample reported the host's total memory as the limit), with a fallback to cgroup v1 hierarchies.
/// </summary>
public sealed class PodFactsProvider(IOptions<PodOptions> options, IConfiguration configuration, TimeProvider time)
{
    private static readonly DateTimeOffset StartedAt = new(Process.GetCurrentProcess().StartTime.ToUniversalTime());

    private static readonly string AppVersion =
        typeof(PodFactsProvider).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(PodFactsProvider).Assembly.GetName().Version?.ToString() ?? "unknown";

    private readonly Lazy<Fixed> _fixed = new(() => ReadFixed(options.Value, configuration));
    private volatile Sample? _sample;

    /// <summary>What a pod cannot change while the process lives: read once.</summary>
    private sealed record Fixed(PodFacts Facts, List<string> CgroupDirectories, List<string> CpuV1Directories, List<string> MemoryV1Directories);

    private sealed record Sample(PodFacts Facts, DateTimeOffset At);

    public PodFacts Get()
    {
        var now = time.GetUtcNow();
        var uptime = Math.Round((now - StartedAt).TotalSeconds, 1);
        if (_sample is { } recent && now - recent.At < options.Value.SampleInterval)
        {
            return recent.Facts with { ProcessUptimeSeconds = uptime };
        }

        // Limits (an in-place pod resize changes them), memory and load: re-read at most once per sample interval,
        // so a page under load costs a few file reads per second, not per request.
        var known = _fixed.Value;
        using var process = Process.GetCurrentProcess();
        var facts = known.Facts with
        {
            ProcessUptimeSeconds = uptime,
            CpuLimit = CpuLimit(known.CgroupDirectories) ?? CpuLimitV1(known.CpuV1Directories),
            MemoryLimitBytes = MemoryLimit(known.CgroupDirectories) ?? MemoryLimitV1(known.MemoryV1Directories),
            WorkingSetBytes = process.WorkingSet64,
            GcHeapBytes = GC.GetTotalMemory(forceFullCollection: false),
            LoadAverage = LoadAverage(options.Value.LoadAverageFile),
        };
        _sample = new Sample(facts, now);
        return facts;
    }

    private static Fixed ReadFixed(PodOptions options, IConfiguration configuration)
    {
        string? Env(string name) => configuration[name] is { Length: > 0 } value ? value : null;
        var membership = ReadText(options.SelfCgroupFile);
        var facts = new PodFacts(
            PodName: Env("POD_NAME") ?? Environment.MachineName,
            Namespace: Env("POD_NAMESPACE"),
            NodeName: Env("NODE_NAME"),
            PodIp: Env("POD_IP"),
            ServiceAccount: Env("POD_SERVICE_ACCOUNT"),
            HostName: Environment.MachineName,
            ProcessUptimeSeconds: 0,
            StartedAt: StartedAt,
            CpuCount: Environment.ProcessorCount,
            CpuLimit: null,
            MemoryLimitBytes: null,
            WorkingSetBytes: 0,
            GcHeapBytes: 0,
            LoadAverage: null,
            DotnetVersion: Environment.Version.ToString(),
            AppVersion: AppVersion,
            OsDescription: RuntimeInformation.OSDescription);
        return new Fixed(facts, CgroupDirectories(options, membership),
            V1Directories(options, membership, "cpu"), V1Directories(options, membership, "memory"));
    }

    /// <summary>
    /// The process's own cgroup directory and its ancestors up to the root: a limit anywhere above applies too.
    /// In a container the root is already the container's cgroup; on a host the process sits in a sub-directory.
    /// </summary>
    private static List<string> CgroupDirectories(PodOptions options, string? membership)
    {
        var root = options.CgroupRoot;
        var directories = new List<string>();
        var relative = membership?
            .Split('\n').FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..].Trim().Trim('/');
        if (!string.IsNullOrEmpty(relative))
        {
            var parts = relative.Split('/');
            for (var depth = parts.Length; depth > 0; depth--)
            {
                var directory = Path.Combine([root, .. parts[..depth]]);
                if (Directory.Exists(directory))
                {
                    directories.Add(directory);
                }
            }
        }

        directories.Add(root);
        return directories;
    }

    /// <summary>The smallest memory.max on the path; "max" means unlimited there. Null when nothing limits memory.</summary>
    public static long? MemoryLimit(IEnumerable<string> cgroupDirectories)
    {
        long? limit = null;
        foreach (var directory in cgroupDirectories)
        {
            var text = ReadText(Path.Combine(directory, "memory.max"))?.Trim();
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
            {
                limit = limit is null ? bytes : Math.Min(limit.Value, bytes);
            }
        }

        return limit;
    }

    /// <summary>The smallest quota/period of cpu.max on the path ("50000 100000" → 0.5 CPUs); null when unlimited.</summary>
    public static double? CpuLimit(IEnumerable<string> cgroupDirectories)
    {
        double? limit = null;
        foreach (var directory in cgroupDirectories)
        {
            var parts = ReadText(Path.Combine(directory, "cpu.max"))?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts is { Length: 2 }
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var quota)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var period) && period > 0)
            {
                var cpus = Math.Round((double)quota / period, 3);
                limit = limit is null ? cpus : Math.Min(limit.Value, cpus);
            }
        }

        return limit;
    }

    /// <summary>
    /// cgroup v1 hosts (some CI machines, older nodes) keep each controller in its own hierarchy, e.g.
    /// "4:memory:/path" → {root}/memory/path; the limit is the smallest on the path to that hierarchy's root.
    /// </summary>
    private static List<string> V1Directories(PodOptions options, string? membership, string controller)
    {
        var directories = new List<string>();
        foreach (var line in (membership ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(':', 3);
            if (fields.Length != 3 || !fields[1].Split(',').Contains(controller))
            {
                continue;
            }

            var hierarchy = Path.Combine(options.CgroupRoot, fields[1]);
            if (!Directory.Exists(hierarchy))
            {
                hierarchy = Path.Combine(options.CgroupRoot, controller);
            }

            var parts = fields[2].Trim().Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
            for (var depth = parts.Length; depth >= 0; depth--)
            {
                directories.Add(Path.Combine([hierarchy, .. parts[..depth]]));
            }
        }

        return directories;
    }

    /// <summary>cgroup v1 memory.limit_in_bytes; the kernel writes a value near 2^63 for "no limit".</summary>
    public static long? MemoryLimitV1(IEnumerable<string> directories)
    {
        long? limit = null;
        foreach (var directory in directories)
        {
            var text = ReadText(Path.Combine(directory, "memory.limit_in_bytes"))?.Trim();
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes < long.MaxValue / 2)
            {
                limit = limit is null ? bytes : Math.Min(limit.Value, bytes);
            }
        }

        return limit;
    }

    /// <summary>cgroup v1 cpu.cfs_quota_us / cpu.cfs_period_us; a quota of -1 means unlimited.</summary>
    public static double? CpuLimitV1(IEnumerable<string> directories)
    {
        double? limit = null;
        foreach (var directory in directories)
        {
            var quotaText = ReadText(Path.Combine(directory, "cpu.cfs_quota_us"))?.Trim();
            var periodText = ReadText(Path.Combine(directory, "cpu.cfs_period_us"))?.Trim();
            if (long.TryParse(quotaText, NumberStyles.None, CultureInfo.InvariantCulture, out var quota)
                && long.TryParse(periodText, NumberStyles.None, CultureInfo.InvariantCulture, out var period) && period > 0)
            {
                var cpus = Math.Round((double)quota / period, 3);
                limit = limit is null ? cpus : Math.Min(limit.Value, cpus);
            }
        }

        return limit;
    }

    private static double[]? LoadAverage(string file)
    {
        var parts = ReadText(file)?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is not { Length: >= 3 })
        {
            return null;
        }

        var values = parts[..3].Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN).ToArray();
        return values.Any(double.IsNaN) ? null : values;
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
