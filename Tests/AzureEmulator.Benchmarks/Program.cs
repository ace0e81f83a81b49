// Lists 4,000 role assignments page by page from a freshly started emulator and prints the time per listing.
// Usage: dotnet run -c Release --project Tests/AzureEmulator.Benchmarks [-- --page-size 1000 --runs 5 --record FILE]
// Exits 1 when the median listing misses the target (1 s).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json.Nodes;

const string SubscriptionId = "3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f";
const string OperatorClientId = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
const int Assignments = 4000;

var pageSize = Option("--page-size", 1000);
var runs = Math.Max(1, Option("--runs", 5));
var benchmark = BenchmarkRun.Start("AzureEmulator.Benchmarks", args);
var emulatorDll = Path.GetFullPath(typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "EmulatorAssembly").Value!);
if (!File.Exists(emulatorDll))
{
    return benchmark.Fail($"The emulator is not built at {emulatorDll}; build the benchmark with the same configuration you run it in.");
}

var stateDirectory = Directory.CreateTempSubdirectory("arm-benchmark-").FullName;
var port = FreePort();
var origin = new Uri($"https://127.0.0.1:{port}");
var start = new ProcessStartInfo("dotnet", [emulatorDll])
{
    RedirectStandardOutput = true,
    RedirectStandardError = true,
    WorkingDirectory = Path.GetDirectoryName(emulatorDll)!,
};
start.Environment["Emulator__StateDirectory"] = stateDirectory;
// The AppHost's way: a per-run admin key, known only to whoever starts the emulator.
var adminKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
start.Environment["Emulator__AdminKey"] = adminKey;
start.Environment["ASPNETCORE_URLS"] = origin.ToString();
start.Environment["Logging__LogLevel__Default"] = "Warning";
using var emulator = Process.Start(start)!;
emulator.BeginOutputReadLine();
emulator.BeginErrorReadLine();

try
{
    using var http = await ConnectAsync();
    http.DefaultRequestHeaders.Add("Emulator-Admin-Key", adminKey);
    using (var token = await http.PostAsJsonAsync("/admin/tokens", new { clientId = OperatorClientId, resource = "https://management.azure.com/" }))
    {
        token.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await token.Content.ReadFromJsonAsync<JsonNode>())!["access_token"]!.GetValue<string>());
    }

    var subscription = $"/subscriptions/{SubscriptionId}";
    var first = $"{subscription}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01";
    var existing = (await ListAsync(http, first)).Items;
    (await http.PostAsJsonAsync("/admin/arm/bulk-assignments", new { count = Assignments - existing, scope = subscription })).EnsureSuccessStatusCode();
    (await http.PutAsJsonAsync("/admin/arm/settings", new { pageSize })).EnsureSuccessStatusCode();

    Console.WriteLine($"Emulator ARM listing benchmark: {Assignments} role assignments at {subscription}, page size {pageSize}, {Environment.ProcessorCount} cores");
    var timings = new List<double>();
    for (var run = 0; run <= runs; run++)
    {
        // ARM's read bucket (250) would throttle long runs; each run starts from a full bucket like a fresh caller.
        (await http.DeleteAsync(new Uri("/admin/arm/throttle", UriKind.Relative))).EnsureSuccessStatusCode();
        var watch = Stopwatch.StartNew();
        var (items, pages) = await ListAsync(http, first);
        watch.Stop();
        if (items != Assignments)
        {
            return benchmark.Fail($"Listed {items} assignments instead of {Assignments}.");
        }

        var label = run == 0 ? "cold" : $"run {run}";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-6} {items} assignments in {pages} pages: {watch.Elapsed.TotalMilliseconds,8:F1} ms"));
        if (run > 0)
        {
            timings.Add(watch.Elapsed.TotalMilliseconds);
        }
    }

    var listing = new Samples(timings);
    Console.WriteLine($"Time to list {Assignments} assignments (warm runs): {listing.Format("F1", "ms")}");
    benchmark.Target($"listing {Assignments} assignments, page size {pageSize}, median of warm runs", listing.Format("F1", "ms"), "< 1000 ms", listing.Median < 1000);
    return benchmark.Finish();
}
finally
{
    emulator.Kill();
    await emulator.WaitForExitAsync();
    Directory.Delete(stateDirectory, recursive: true);
}

static async Task<(int Items, int Pages)> ListAsync(HttpClient http, string first)
{
    int items = 0, pages = 0;
    string? next = first;
    while (next is not null)
    {
        var page = await http.GetFromJsonAsync<JsonNode>(next);
        items += page!["value"]!.AsArray().Count;
        pages++;
        next = page["nextLink"]?.GetValue<string>();
    }

    return (items, pages);
}

async Task<HttpClient> ConnectAsync()
{
    var deadline = DateTime.UtcNow.AddSeconds(60);
    while (true)
    {
        if (emulator.HasExited)
        {
            throw new InvalidOperationException($"The emulator exited during start-up (code {emulator.ExitCode}).");
        }

        var caPath = Path.Combine(stateDirectory, "tls", "ca.crt");
        if (File.Exists(caPath))
        {
            var http = new HttpClient(EmulatorCaTrust.CreateHandler(caPath)) { BaseAddress = origin };
            try
            {
                (await http.GetAsync(new Uri("/alive", UriKind.Relative))).EnsureSuccessStatusCode();
                return http;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                http.Dispose();
            }
        }

        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException("The emulator did not answer within 60 s.");
        }

        await Task.Delay(200);
    }
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
