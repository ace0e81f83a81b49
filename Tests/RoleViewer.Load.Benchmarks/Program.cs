// Issue 15's load benchmark: the page and each Api GET under wrk, next to same-run bare baselines, in two
// configurations (as deployed; under the AppHost with dashboard tracing), printing every figure of the issue's
// point 4 with its target and the figure before issue 15. See README.md for the commands.
//
//   dotnet run -c Release --project Tests/RoleViewer.Load.Benchmarks [-- --config deployed|apphost|both --seconds 10
//       --warmup-seconds 3 --samples 3 --threads 2 --connections 50 --record Tests/RoleViewer.Load.Benchmarks/runs/NAME.md]
using System.Diagnostics;
using System.Globalization;
using RoleViewer.Load.Benchmarks;

if (args.Length >= 1 && args[0] == "--bare-server")
{
    await BareServer.RunAsync(args[1], args[2]);
    return 0;
}

var config = Option("--config") ?? "both";
var seconds = TimeSpan.FromSeconds(IntOption("--seconds", 10));
var warmup = TimeSpan.FromSeconds(IntOption("--warmup-seconds", 3));
var samples = IntOption("--samples", 3);
var load = new LoadGenerator(IntOption("--threads", 2), IntOption("--connections", 50));

var run = BenchmarkRun.Start("RoleViewer load benchmark (issue 15)", args);
Console.WriteLine($"{load.Name}, {samples} sample(s) of {seconds.TotalSeconds:0} s per figure after {warmup.TotalSeconds:0} s warm-up; ratios are taken within one sample");

var figures = new List<Figure>();
if (config is "deployed" or "both")
{
    await using var services = await DeployedServices.StartAsync();
    figures.AddRange(await MeasureAsync("as deployed", services, deployed: true));
}

if (config is "apphost" or "both")
{
    await using var services = await AppHostServices.StartAsync();
    figures.AddRange(await MeasureAsync("under the AppHost", services, deployed: false));
}

Console.WriteLine();
Console.WriteLine("| Figure | Measured: median (min, max, samples) | Target | Before (issue 15) | |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var figure in figures)
{
    Console.WriteLine(figure.Row());
}

foreach (var figure in figures.Where(f => f.Met is not null))
{
    run.Target(figure.Name, figure.Measured, figure.Target, figure.Met == true);
}

return run.Finish();

async Task<List<Figure>> MeasureAsync(string configuration, IServices services, bool deployed)
{
    Console.WriteLine();
    Console.WriteLine($"== {configuration}: web {services.Web}, api {services.Api}");
    var html = await WaitForPageAsync(services.Web);
    var pageFile = Path.GetTempFileName();
    await File.WriteAllTextAsync(pageFile, html);
    Console.WriteLine($"   page: {html.Length / 1024.0:0.0} KB of HTML; bare baseline serves the same bytes");

    var bareUrl = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}/");
    var self = typeof(BareServer).Assembly.Location;
    await using var bare = ChildProcess.Start(self, $"--bare-server {bareUrl} \"{pageFile}\"", new Dictionary<string, string>());
    await bare.WaitUntilHealthyAsync(new Uri(bareUrl, "alive"), TimeSpan.FromSeconds(60));

    var page = new Figure($"{configuration}: page / (pages/s)", "pages/s",
        deployed ? "≥ 2,500" : "≥ 1,000", deployed ? "not measured" : "~210", deployed ? v => v >= 2500 : v => v >= 1000);
    var pageP99 = new Figure($"{configuration}: page p99", "ms", deployed ? "< 50" : "", deployed ? "" : "~480", deployed ? v => v < 50 : null);
    var barePage = new Figure($"{configuration}: bare Kestrel, same HTML static (pages/s)", "req/s", "", "");
    var pageRatio = new Figure($"{configuration}: page / bare static page", "×", "", "");
    var webCpu = new Figure($"{configuration}: web CPU per page view", "µs", "", "");
    var apiCpuPerPage = new Figure($"{configuration}: api CPU per page view", "µs", "", "");
    var azure = new Figure($"{configuration}: ARM + Entra calls per 1,000 page views", "", "≤ 2", "≤ 2", v => v <= 2);
    var bareJson = new Figure($"{configuration}: bare minimal-API JSON (req/s)", "req/s", "", deployed ? "60,000" : "");
    var result = new List<Figure> { page, pageP99, barePage, pageRatio, webCpu, apiCpuPerPage, azure, bareJson };

    var endpoints = new[] { "/api/role-assignments", "/api/identity", "/api/pod" };
    var before = new Dictionary<string, string>
    {
        ["/api/role-assignments"] = deployed ? "28,000 (0.47×)" : "10,000",
        ["/api/identity"] = "~3,100",
        ["/api/pod"] = "~830",
    };
    var apiFigures = endpoints.ToDictionary(e => e, e => (
        Rate: new Figure($"{configuration}: GET {e} (req/s)", "req/s", "", before[e]),
        Ratio: new Figure($"{configuration}: GET {e} / bare JSON", "×", deployed ? "≥ 0.5" : "", e == "/api/role-assignments" && deployed ? "0.47" : "",
            deployed ? v => v >= 0.5 : null),
        P99: new Figure($"{configuration}: GET {e} p99", "ms", deployed ? "< 25" : "", "", deployed ? v => v < 25 : null),
        Cpu: new Figure($"{configuration}: GET {e} api CPU per request", "µs", "", "")));
    foreach (var (_, f) in apiFigures)
    {
        result.AddRange([f.Rate, f.Ratio, f.P99, f.Cpu]);
    }

    var webSet = new Figure($"{configuration}: web working set under load (max)", "MB", "< 200", "", v => v < 200);
    var apiSet = new Figure($"{configuration}: api working set under load (max)", "MB", "< 200", "", v => v < 200);
    result.AddRange([webSet, apiSet]);
    long webPeak = 0, apiPeak = 0;

    var targets = new List<Uri> { new(bareUrl, "page"), services.Web, new(bareUrl, "json") };
    targets.AddRange(endpoints.Select(e => new Uri(services.Api, e)));
    foreach (var target in targets)
    {
        // JIT to the optimised tier and caches warm; not counted.
        await load.RunAsync(target, warmup);
    }

    for (var sample = 1; sample <= samples; sample++)
    {
        Console.WriteLine($"   sample {sample}/{samples}…");
        var bareRun = await load.RunAsync(new Uri(bareUrl, "page"), seconds);
        barePage.Add(bareRun.PerSecond);

        var azureBefore = await services.AzureCallsAsync();
        var (pageRun, webCpuUsed, apiCpuUsed) = await MeteredAsync(services.Web, services);
        var azureCalls = await services.AzureCallsAsync() - azureBefore;
        page.Add(pageRun.PerSecond);
        pageP99.Add(pageRun.P99Ms);
        pageRatio.Add(pageRun.PerSecond / bareRun.PerSecond);
        webCpu.Add(webCpuUsed.TotalMicroseconds / Math.Max(1, pageRun.Requests));
        apiCpuPerPage.Add(apiCpuUsed.TotalMicroseconds / Math.Max(1, pageRun.Requests));
        azure.Add(azureCalls * 1000.0 / Math.Max(1, pageRun.Requests));
        Report("page", pageRun);

        var jsonRun = await load.RunAsync(new Uri(bareUrl, "json"), seconds);
        bareJson.Add(jsonRun.PerSecond);
        foreach (var endpoint in endpoints)
        {
            var (run, _, apiUsed) = await MeteredAsync(new Uri(services.Api, endpoint), services);
            var f = apiFigures[endpoint];
            f.Rate.Add(run.PerSecond);
            f.Ratio.Add(run.PerSecond / jsonRun.PerSecond);
            f.P99.Add(run.P99Ms);
            f.Cpu.Add(apiUsed.TotalMicroseconds / Math.Max(1, run.Requests));
            Report(endpoint, run);
        }
    }

    webSet.Add(webPeak / 1024.0 / 1024.0);
    apiSet.Add(apiPeak / 1024.0 / 1024.0);
    File.Delete(pageFile);
    return result;

    async Task<(LoadRun Run, TimeSpan WebCpu, TimeSpan ApiCpu)> MeteredAsync(Uri url, IServices s)
    {
        var (web0, api0) = (s.WebProcess.Cpu, s.ApiProcess.Cpu);
        using var peak = new CancellationTokenSource();
        // Working set sampled during the run: the figure is "under load".
        var watcher = Task.Run(async () =>
        {
            while (!peak.IsCancellationRequested)
            {
                webPeak = Math.Max(webPeak, s.WebProcess.WorkingSetBytes);
                apiPeak = Math.Max(apiPeak, s.ApiProcess.WorkingSetBytes);
                await Task.Delay(500, CancellationToken.None);
            }
        });
        var run = await load.RunAsync(url, seconds);
        await peak.CancelAsync();
        await watcher;
        return (run, s.WebProcess.Cpu - web0, s.ApiProcess.Cpu - api0);
    }
}

static void Report(string what, LoadRun run) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"     {what,-22} {run.PerSecond,10:N0}/s  p50 {run.P50Ms,7:0.00} ms  p99 {run.P99Ms,7:0.00} ms  {run.Requests:N0} requests, {run.Errors} errors"));

static async Task<string> WaitForPageAsync(Uri web)
{
    using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    var deadline = Stopwatch.StartNew();
    string html = "";
    while (deadline.Elapsed < TimeSpan.FromSeconds(120))
    {
        html = await client.GetStringAsync(web);
        if (html.Contains("data-testid=\"assignments-table\"", StringComparison.Ordinal))
        {
            return html;
        }

        await Task.Delay(500);
    }

    throw new InvalidOperationException($"The page never showed the role-assignments table (Api failing?):\n{html[..Math.Min(html.Length, 2000)]}");
}

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

int IntOption(string name, int fallback) =>
    Option(name) is { } text && int.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : fallback;
