using System.Diagnostics;
using System.Reflection;

namespace AzureEmulator.Tests;

/// <summary>Runs scripts of Tests/AzureEmulator.Tests/node with Node, installing the locked npm packages on first use.</summary>
public static class NodePeers
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private static readonly string[] LockedPackages = ["identity", "arm-authorization", "arm-resources-subscriptions"];

    public static string Directory { get; } = typeof(NodePeers).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "NodePeersDirectory").Value!;

    /// <summary>Runs `node script [arguments]` in the peers folder with the given environment; returns exit code, stdout, stderr.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string script, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, params string[] arguments)
    {
        await EnsureInstalledAsync(cancellationToken);
        return await RunProcessAsync("node", [script, .. arguments], environment, cancellationToken);
    }

    private static async Task EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        await InstallGate.WaitAsync(cancellationToken);
        try
        {
            // Every locked package present: a folder installed before a package was added gets `npm ci` again.
            if (LockedPackages.All(p => System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "@azure", p))))
            {
                return;
            }

            var (exitCode, output, error) = await RunProcessAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], new Dictionary<string, string>(), cancellationToken);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"'npm ci' in {Directory} failed ({exitCode}); run it by hand to see why.\n{output}\n{error}");
            }
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task<(int, string, string)> RunProcessAsync(
        string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
