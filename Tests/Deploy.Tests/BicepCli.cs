using System.Diagnostics;

namespace Deploy.Tests;

/// <summary>Runs the Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package (offline; no az needed).</summary>
internal static class BicepCli
{
    private static readonly Lazy<Task<JsonObject>> MainTemplate = new(() => BuildAsync(Repository.Path("infra", "main.bicep"), CancellationToken.None));

    /// <summary>infra/main.bicep compiled to ARM JSON, once per test run.</summary>
    public static Task<JsonObject> CompiledMainAsync(CancellationToken cancellationToken) => MainTemplate.Value.WaitAsync(cancellationToken);

    public static async Task<JsonObject> BuildAsync(string bicepFile, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["build", bicepFile, "--stdout"], cancellationToken);
        Assert.True(result.ExitCode == 0, $"bicep build {bicepFile} failed:\n{result.Error}");
        return JsonNode.Parse(result.Output)!.AsObject();
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        EnsureExecutable();
        var start = new ProcessStartInfo(Repository.BicepCli)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Offline machines and CI: no telemetry upload, no module-registry lookups.
        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {Repository.BicepCli}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    // Some NuGet extractions drop the execute bit; put it back rather than fail.
    private static void EnsureExecutable()
    {
        if (!File.Exists(Repository.BicepCli))
        {
            throw new FileNotFoundException(
                $"Bicep CLI not found at {Repository.BicepCli}. Restore Tests/Deploy.Tests (package Azure.Bicep.CommandLine.linux-x64).");
        }

        const UnixFileMode executable = UnixFileMode.UserExecute;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(Repository.BicepCli) & executable) != executable)
        {
            File.SetUnixFileMode(Repository.BicepCli, File.GetUnixFileMode(Repository.BicepCli) | executable);
        }
    }
}
