using System.Diagnostics;
using System.Globalization;

namespace RoleViewer.Load.Benchmarks;

/// <summary>CPU time and working set of a server process, found by the loopback port it listens on.</summary>
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

    private static readonly string[] SocketTables = ["/proc/net/tcp", "/proc/net/tcp6"];

    public static ProcessMeter ForPort(int port, string name) =>
        new(Process.GetProcessById(ListeningPid(port) ?? throw new InvalidOperationException(
            $"No process of this user listens on port {port} ({name}); is it running?")), name);

    /// <summary>The process whose socket listens on the port: /proc/net/tcp{,6} gives the socket's inode, /proc/*/fd its owner.</summary>
    private static int? ListeningPid(int port)
    {
        var hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        var inodes = SocketTables
            .Where(File.Exists)
            .SelectMany(File.ReadLines)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 9 && f[1].EndsWith(":" + hexPort, StringComparison.Ordinal) && f[3] == "0A")
            .Select(f => $"socket:[{f[9]}]")
            .ToHashSet();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(directory, "fd")))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target))
                    {
                        return pid;
                    }
                }
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                // Another user's process, or gone: not ours.
            }
        }

        return null;
    }
}
