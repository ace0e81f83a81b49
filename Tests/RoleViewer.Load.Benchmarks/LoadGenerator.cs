using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace RoleViewer.Load.Benchmarks;

/// <summary>One bounded load run against one loopback URL.</summary>
public sealed record LoadRun(long Requests, double Seconds, double P50Ms, double P99Ms, long Errors)
{
    public double PerSecond => Requests / Seconds;
}

/// <summary>
/// wrk (Debian: <c>apt-get install wrk</c>) when it is on the PATH, as the issue's figures were measured; otherwise an
/// in-process HttpClient loop with the same connections (it costs the machine more CPU per request, so its figures
/// are lower: the printout says which generator ran).
/// </summary>
public sealed partial class LoadGenerator(int threads, int connections)
{
    public static readonly string? WrkPath = FindOnPath("wrk");

    public string Name => WrkPath is null
        ? $"in-process HttpClient loop, {connections} connections (wrk not found: `apt-get install wrk` for the issue's generator)"
        : $"wrk -t{threads} -c{connections}";

    public async Task<LoadRun> RunAsync(Uri url, TimeSpan duration, IReadOnlyDictionary<string, string>? headers = null)
    {
        if (!url.IsLoopback)
        {
            throw new ArgumentException($"Load goes to loopback only, not {url}.", nameof(url));
        }

        return WrkPath is null ? await HttpClientLoopAsync(url, duration, headers) : await WrkAsync(url, duration, headers);
    }

    private async Task<LoadRun> WrkAsync(Uri url, TimeSpan duration, IReadOnlyDictionary<string, string>? headers)
    {
        var info = new ProcessStartInfo(WrkPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { $"-t{threads}", $"-c{connections}", $"-d{(int)Math.Ceiling(duration.TotalSeconds)}s", "--latency", "--timeout", "10s" })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            info.ArgumentList.Add("-H");
            info.ArgumentList.Add($"{name}: {value}");
        }

        info.ArgumentList.Add(url.ToString());
        using var wrk = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start.");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        var errors = await wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        if (wrk.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with {wrk.ExitCode}: {errors}{output}");
        }

        return ParseWrk(output);
    }

    public static LoadRun ParseWrk(string output)
    {
        var requests = long.Parse(Match(RequestsLine(), output), CultureInfo.InvariantCulture);
        var seconds = double.Parse(Match(RequestsLine(), output, 2), CultureInfo.InvariantCulture);
        var socketErrors = SocketErrors().Match(output) is { Success: true } s
            ? s.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
            : 0;
        var non2xx = Non2xx().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new LoadRun(requests, seconds, Latency(output, "50%"), Latency(output, "99%"), socketErrors + non2xx);
    }

    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            throw new FormatException($"wrk printed no {percentile} latency:\n{output}");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    private static string Match(Regex regex, string output, int group = 1) =>
        regex.Match(output) is { Success: true } match ? match.Groups[group].Value : throw new FormatException($"Unexpected wrk output:\n{output}");

    [GeneratedRegex(@"(\d+) requests in ([\d.]+)s")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();

    private async Task<LoadRun> HttpClientLoopAsync(Uri url, TimeSpan duration, IReadOnlyDictionary<string, string>? headers)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, AutomaticDecompression = System.Net.DecompressionMethods.None });
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }

        var latencies = new List<double>[connections];
        long errors = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var mine = latencies[c] = new List<double>(100_000);
            while (stopwatch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }

                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? double.NaN : all[Math.Clamp((int)Math.Ceiling(p / 100 * all.Length) - 1, 0, all.Length - 1)];
        return new LoadRun(all.Length, seconds, Percentile(50), Percentile(99), errors);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
