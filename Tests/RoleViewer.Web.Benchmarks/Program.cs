// First-render time of RoleViewer's page with the Api's cache warm: the time from sending GET / to having the
// complete HTML (streaming rendering included), measured sequentially so each figure is one request's latency.
//
//   dotnet run -c Release --project Tests/RoleViewer.Web.Benchmarks              starts the AppHost (emulator, api, web)
//   dotnet run -c Release --project Tests/RoleViewer.Web.Benchmarks -- --url http://localhost:5170   an already running web
//   options: --requests N (default 200) in --samples N batches (default 5), --warmup N (default 20), --record FILE
// Starting the AppHost takes its fixed ports: run it under `flock /tmp/roleviewer-apphost.lock`. Exits 1 when the
// median of the batches' p50 misses the target.
using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var url = Option("--url");
var requests = int.Parse(Option("--requests") ?? "200", CultureInfo.InvariantCulture);
var warmup = int.Parse(Option("--warmup") ?? "20", CultureInfo.InvariantCulture);
var samples = Math.Max(1, int.Parse(Option("--samples") ?? "5", CultureInfo.InvariantCulture));
var benchmark = BenchmarkRun.Start("RoleViewer.Web.Benchmarks", args);
string? stateDirectory = null;

DistributedApplication? app = null;
HttpClient client;
if (url is null)
{
    Console.WriteLine("Starting the AppHost (emulator, api, web)…");
    using var start = new CancellationTokenSource(TimeSpan.FromMinutes(3));
    // Its own emulator state, so the figures never depend on (or change) the developer's local state.
    stateDirectory = Directory.CreateTempSubdirectory("roleviewer-web-bench-").FullName;
    var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>([$"--Emulator:StateDirectory={stateDirectory}"], start.Token);
    // Resource logs stay in the resources; the console shows the figures only.
    builder.Services.AddLogging(logging => logging.ClearProviders());
    app = await builder.BuildAsync(start.Token);
    await app.StartAsync(start.Token);
    await app.ResourceNotifications.WaitForResourceHealthyAsync("web", start.Token);
    client = app.CreateHttpClient("web");
}
else
{
    client = new HttpClient { BaseAddress = new Uri(url) };
}

try
{
    // Warm-up fills the Api's role-assignment cache and token cache, and JITs both services.
    for (var i = 0; i < warmup; i++)
    {
        await RenderAsync(client);
    }

    Console.WriteLine($"RoleViewer.Web GET / first render (complete HTML), {requests} sequential requests in {samples} batches after {warmup} warm-up, target {client.BaseAddress}");
    var failures = 0;
    List<double> p50s = [], p95s = [], maxes = [];
    for (var batch = 0; batch < samples; batch++)
    {
        var times = new List<double>(requests / samples);
        for (var i = 0; i < requests / samples; i++)
        {
            var (ms, complete) = await RenderAsync(client);
            times.Add(ms);
            failures += complete ? 0 : 1;
        }

        times.Sort();
        p50s.Add(Percentile(times, 0.50));
        p95s.Add(Percentile(times, 0.95));
        maxes.Add(times[^1]);
        Console.WriteLine(FormattableString.Invariant(
            $"  batch {batch + 1}: {times.Count} requests, p50 {p50s[^1]:0.0} ms  p95 {p95s[^1]:0.0} ms  max {times[^1]:0.0} ms  min {times[0]:0.0} ms"));
    }

    var p50 = new Samples(p50s);
    Console.WriteLine($"p50 {p50.Format("0.0", "ms")}");
    Console.WriteLine($"p95 {new Samples(p95s).Format("0.0", "ms")}");
    Console.WriteLine($"max {new Samples(maxes).Format("0.0", "ms")}");
    Console.WriteLine(failures == 0
        ? "Every page showed the role-assignments table."
        : $"{failures} page(s) showed no role-assignments table (Api failing?): the figures are not for a warm cache.");
    benchmark.Target("pages with the role-assignments table", $"{requests / samples * samples - failures} of {requests / samples * samples}", "all", failures == 0);
    benchmark.Target("first render p50", p50.Format("0.0", "ms"), "< 300 ms (median of the batches)", p50.Median < 300);
    return benchmark.Finish();
}
finally
{
    client.Dispose();
    if (app is not null)
    {
        await app.DisposeAsync();
    }

    if (stateDirectory is not null)
    {
        Directory.Delete(stateDirectory, recursive: true);
    }
}

static async Task<(double Ms, bool Complete)> RenderAsync(HttpClient client)
{
    var watch = Stopwatch.StartNew();
    var html = await client.GetStringAsync("/");
    return (watch.Elapsed.TotalMilliseconds, html.Contains("data-testid=\"assignments-table\"", StringComparison.Ordinal));
}

static double Percentile(List<double> sorted, double p) =>
    sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
