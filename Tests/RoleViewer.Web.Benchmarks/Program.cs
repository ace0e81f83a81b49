// First-render time of RoleViewer's page with the Api's cache warm: the time from sending GET / to having the
// complete HTML (streaming rendering included), measured sequentially so each figure is one request's latency.
//
//   dotnet run -c Release --project Tests/RoleViewer.Web.Benchmarks              starts the AppHost (emulator, api, web)
//   dotnet run -c Release --project Tests/RoleViewer.Web.Benchmarks -- --url http://localhost:5170   an already running web
//   options: --requests N (default 200), --warmup N (default 20)
using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var url = Option("--url");
var requests = int.Parse(Option("--requests") ?? "200", CultureInfo.InvariantCulture);
var warmup = int.Parse(Option("--warmup") ?? "20", CultureInfo.InvariantCulture);

DistributedApplication? app = null;
HttpClient client;
if (url is null)
{
    Console.WriteLine("Starting the AppHost (emulator, api, web)…");
    using var start = new CancellationTokenSource(TimeSpan.FromMinutes(3));
    var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(start.Token);
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

    var times = new List<double>(requests);
    var failures = 0;
    for (var i = 0; i < requests; i++)
    {
        var (ms, complete) = await RenderAsync(client);
        times.Add(ms);
        failures += complete ? 0 : 1;
    }

    times.Sort();
    Console.WriteLine($"RoleViewer.Web GET / first render (complete HTML), {requests} sequential requests after {warmup} warm-up, target {client.BaseAddress}");
    Console.WriteLine(FormattableString.Invariant(
        $"p50 {Percentile(times, 0.50):0.0} ms  p95 {Percentile(times, 0.95):0.0} ms  max {times[^1]:0.0} ms  min {times[0]:0.0} ms"));
    Console.WriteLine(failures == 0
        ? "Every page showed the role-assignments table."
        : $"{failures} page(s) showed no role-assignments table (Api failing?): the figures are not for a warm cache.");
    return failures == 0 ? 0 : 1;
}
finally
{
    client.Dispose();
    if (app is not null)
    {
        await app.DisposeAsync();
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
