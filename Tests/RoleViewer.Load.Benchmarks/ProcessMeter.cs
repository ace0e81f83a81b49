using System.Diagnostics;
using System.Globalization;

namespace RoleViewer.Load.Benchmarks;

/// <summary>CPU time and working set of a server process.</summary>
public sealed class ProcessMeter(Process process, string name)
{
    public string Name { get; } = name;

    public TimeSpan Cpu
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public long WorkingSetBytes
    {
        get
        {
            process.Refresh();
            return process.WorkingSet64;
        }
    }

    /// <summary>
    /// The service process whose environment holds <paramref name="marker"/> (the AppHost's DCP launches services
    /// detached and behind a proxy, so neither the process tree nor the endpoint's port leads to them), not the
    /// <c>dotnet run</c> that started it.
    /// </summary>
    public static ProcessMeter ForEnvironmentMarker(string marker, string name)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid)
                && TryRead(Path.Combine(directory, "environ")) is { } environment
                && environment.Split('\0').Contains(marker)
                && !(TryRead(Path.Combine(directory, "cmdline")) ?? "").Split('\0').Contains("run"))
            {
                return new ProcessMeter(Process.GetProcessById(pid), name);
            }
        }

        throw new InvalidOperationException($"No process with {marker} in its environment was found.");
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
