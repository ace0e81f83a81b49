// Drives RoleViewer.Api against the AzureEmulator, both as separate processes, and prints the figures of
// issue 5's acceptance points 4 (load with 100 ms ARM latency) and 5 (a cold listing of 4,000 assignments), after
// issue 14's latency of 1,000 permission checks (--permissions-only stops after those).
// Every figure is several samples (min / median / max); targets are judged on the median and a miss exits 1.
// Run: dotnet run -c Release --project Tests/RoleViewer.Api.Benchmarks [-- --clients 50 --seconds 20 --samples 5
//      --cold-samples 3 --assignments 4000 --permission-checks 1000 --permissions-only --record FILE]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using RoleViewer.Api.Benchmarks;

const string TenantId = "8a7d1c7e-3b6f-4a0e-9d2c-5f1e0b7c4a21";
const string SubscriptionId = "3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f";
const string ApiClientId = "5b1c9e7a-2d4f-4c3b-8a6e-0f9d8c7b6a54";
const string ApiObjectId = "c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f";
const string OperatorClientId = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
const string ReaderRoleId = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

var clients = Option("--clients", 50);
var seconds = Option("--seconds", 20);
var assignmentCount = Option("--assignments", 4000);
var armLatencyMs = Option("--arm-latency-ms", 100);
var warmupSeconds = Option("--warmup-seconds", 5);
var permissionChecks = Option("--permission-checks", 1000);
var permissionsOnly = args.Contains("--permissions-only");
var loadSamples = Math.Max(1, Option("--samples", 5));
var coldSamples = Math.Max(1, Option("--cold-samples", 3));
var ttl = TimeSpan.FromSeconds(10);

var configuration = typeof(ChildProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
var repo = FindRepositoryRoot();
var emulatorDll = Path.Combine(repo, "AzureEmulator", "bin", configuration, "net10.0", "AzureEmulator.dll");
var apiDll = Path.Combine(repo, "RoleViewer.Api", "bin", configuration, "net10.0", "RoleViewer.Api.dll");
var state = Directory.CreateTempSubdirectory("roleviewer-bench-").FullName;
var tokenFile = Path.Combine(state, "sa", "azure-identity-token");
var emulatorHttps = new Uri($"https://127.0.0.1:{ChildProcess.FreePort()}/");
var emulatorHttp = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}/");

var benchmark = BenchmarkRun.Start("RoleViewer.Api.Benchmarks", args);
Console.WriteLine($"RoleViewer.Api benchmark ({configuration}): {clients} clients, {seconds} s in {loadSamples} samples after {warmupSeconds} s warm-up, ARM latency {armLatencyMs} ms, TTL {ttl.TotalSeconds} s; {coldSamples} cold API processes");

// The AppHost's way: a per-run admin key, known only to whoever starts the emulator.
var adminKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
await using var emulator = ChildProcess.Start(emulatorDll, $"--urls \"{emulatorHttps};{emulatorHttp}\"", new Dictionary<string, string>
{
    ["ASPNETCORE_ENVIRONMENT"] = "Production",
    ["Logging__LogLevel__Default"] = "Warning",
    ["Emulator__StateDirectory"] = state,
    ["Emulator__AdminKey"] = adminKey,
    ["Emulator__ServiceAccountTokenFile"] = tokenFile,
    // Room for the 4,000 assignments of the API's identity next to the seeded ones, written without ARM's write throttle.
    ["Emulator__Arm__MaxAssignmentsPerSubscription"] = (assignmentCount + 100).ToString(CultureInfo.InvariantCulture),
    ["Emulator__Arm__WriteBucketCapacity"] = "100000",
    ["Emulator__Arm__WriteRefillPerSecond"] = "100000",
});
await emulator.WaitUntilHealthyAsync(new Uri(emulatorHttp, "health"), TimeSpan.FromSeconds(60));
using var admin = new HttpClient(EmulatorCaTrust.CreateHandler(Path.Combine(state, "tls", "ca.crt"))) { BaseAddress = emulatorHttps, Timeout = TimeSpan.FromSeconds(60) };
admin.DefaultRequestHeaders.Add("Emulator-Admin-Key", adminKey);

// Issue 14: /api/permissions/check answers from the cached listing; one request at a time, as the page asks.
await Send(HttpMethod.Delete, "/admin/counters");
var checks = new List<double>(permissionChecks);
long checkListings;
TimeSpan checksLifetime;
await using (var api = await StartApiAsync())
{
    var lifetime = Stopwatch.StartNew();
    using var client = new HttpClient { BaseAddress = api.Uri, Timeout = TimeSpan.FromSeconds(60) };
    string[] questions =
    [
        "action=Microsoft.Authorization/roleAssignments/read",
        "action=Microsoft.Compute/virtualMachines/read&scope=/subscriptions/" + SubscriptionId + "/resourceGroups/rg-roleviewer",
        "action=Microsoft.Insights/Metrics/Write&kind=dataAction&scope=/subscriptions/" + SubscriptionId +
            "/resourceGroups/rg-roleviewer/providers/Microsoft.Insights/components/appi-roleviewer",
        "action=microsoft.authorization/ROLEDEFINITIONS/read",
    ];
    (await client.GetAsync("/api/permissions/check?" + questions[0])).EnsureSuccessStatusCode();
    for (var i = 0; i < 200; i++)
    {
        // Warm-up, not counted: the JIT's optimised tier.
        await client.GetStringAsync("/api/permissions/check?" + questions[i % questions.Length]);
    }

    for (var i = 0; i < permissionChecks; i++)
    {
        var stopwatch = Stopwatch.StartNew();
        using var response = await client.GetAsync("/api/permissions/check?" + questions[i % questions.Length], HttpCompletionOption.ResponseContentRead);
        response.EnsureSuccessStatusCode();
        checks.Add(stopwatch.Elapsed.TotalMilliseconds);
    }

    checkListings = await CountArmAsync("roleAssignments.list");
    checksLifetime = lifetime.Elapsed;
}

checks.Sort();
double CheckPercentile(double p) => checks[Math.Clamp((int)Math.Ceiling(p / 100 * checks.Count) - 1, 0, checks.Count - 1)];
Console.WriteLine();
Console.WriteLine($"Issue 14: {checks.Count:N0} sequential GET /api/permissions/check (4 questions in turn, after 200 warm-up checks)");
Console.WriteLine($"  latency p50       {CheckPercentile(50):0.000} ms");
Console.WriteLine($"  latency p95       {CheckPercentile(95):0.000} ms");
Console.WriteLine($"  latency p99       {CheckPercentile(99):0.000} ms");
var allowedCheckListings = (int)Math.Ceiling(checksLifetime.TotalSeconds / ttl.TotalSeconds) + 1;
Console.WriteLine($"  ARM listings      {checkListings} (one per cache TTL of {ttl.TotalSeconds} s allows {allowedCheckListings}, none per check)");
benchmark.Target("permissions: ARM listings", $"{checkListings}", $"<= {allowedCheckListings} (one per TTL, none per check)", checkListings <= allowedCheckListings);
if (permissionsOnly)
{
    return benchmark.Finish();
}

// 4. Load: every ARM call 100 ms slower; the cache must keep ARM listings to one per TTL and the exchange to one.
await Send(HttpMethod.Delete, "/admin/counters");
await Send(HttpMethod.Put, "/admin/faults/arm", new { latencyMs = armLatencyMs });
var load = new List<RunResult>();
TimeSpan apiCpu, benchCpu, apiLifetime;
await using (var api = await StartApiAsync())
{
    var lifetime = Stopwatch.StartNew();
    // CPU time per request shows the API's own cost, which other load on the machine does not change much.
    // Like any benchmark harness: let the JIT reach its optimised tier first; warm-up requests are not counted.
    await LoadAsync(api.Uri, clients, TimeSpan.FromSeconds(warmupSeconds));
    var apiCpuBefore = ProcessorTime(api.Child.Process);
    var benchCpuBefore = ProcessorTime(Process.GetCurrentProcess());
    for (var sample = 0; sample < loadSamples; sample++)
    {
        load.Add(await LoadAsync(api.Uri, clients, TimeSpan.FromSeconds((double)seconds / loadSamples)));
    }

    apiCpu = ProcessorTime(api.Child.Process) - apiCpuBefore;
    benchCpu = ProcessorTime(Process.GetCurrentProcess()) - benchCpuBefore;
    apiLifetime = lifetime.Elapsed;
}

await Send(HttpMethod.Delete, "/admin/faults/arm");
var listings = await CountArmAsync("roleAssignments.list");
var exchanges = await CountExchangesAsync();
var loadSeconds = load.Sum(r => r.Elapsed.TotalSeconds);
var allowedListings = (int)Math.Ceiling(apiLifetime.TotalSeconds / ttl.TotalSeconds) + 1;
var requestCount = load.Sum(r => r.Count);
var errorCount = load.Sum(r => r.Errors);
var throughput = new Samples(load.Select(r => r.Count / r.Elapsed.TotalSeconds));
var p50 = new Samples(load.Select(r => r.Percentile(50)));
var p99 = new Samples(load.Select(r => r.Percentile(99)));
var max = new Samples(load.Select(r => r.Percentile(100)));

Console.WriteLine();
Console.WriteLine($"Acceptance 4: /api/role-assignments under load, {loadSamples} consecutive samples of {(double)seconds / loadSamples:0.#} s");
Console.WriteLine($"  requests          {requestCount:N0} in {loadSeconds:0.0} s, {errorCount} errors");
Console.WriteLine($"  throughput        {throughput.Format("N0", "req/s")}");
Console.WriteLine($"  latency p50       {p50.Format("0.00", "ms")}");
Console.WriteLine($"  latency p99       {p99.Format("0.00", "ms")}");
Console.WriteLine($"  latency max       {max.Format("0.00", "ms")}");
Console.WriteLine($"  API CPU/request   {apiCpu.TotalMicroseconds / Math.Max(1, requestCount):N0} µs (load generator: {benchCpu.TotalMicroseconds / Math.Max(1, requestCount):N0} µs), over all samples");
Console.WriteLine($"  ARM listings      {listings} (counted by the emulator over warm-up and samples; one per TTL allows {allowedListings})");
Console.WriteLine($"  token exchanges   {exchanges}");
benchmark.Target("load: errors", $"{errorCount}", "0", errorCount == 0);
benchmark.Target("load: throughput", throughput.Format("N0", "req/s"), ">= 5,000 req/s (median)", throughput.Median >= 5000);
benchmark.Target("load: latency p99", p99.Format("0.00", "ms"), "< 25 ms (median)", p99.Median < 25);
benchmark.Target("load: ARM listings", $"{listings}", $"<= {allowedListings} (one per TTL)", listings <= allowedListings);
benchmark.Target("load: token exchanges", $"{exchanges}", "exactly 1", exchanges == 1);

// 5. A cold listing of 4,000 assignments, no added latency.
await AddAssignmentsAsync(assignmentCount);
List<double> coldMs = [], warmMs = [], armListingMs = [], workingSetMb = [], reportedWorkingSetMb = [];
var returned = new HashSet<int>();
var armPages = 0;
for (var sample = 0; sample < coldSamples; sample++)
{
    // The emulator alone, timed next to each cold sample, is the same-run baseline of the API's own cost.
    (var ms, armPages) = await TimeArmListingAsync();
    armListingMs.Add(ms);
    await using var api = await StartApiAsync();
    using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    var stopwatch = Stopwatch.StartNew();
    var body = await client.GetFromJsonAsync<JsonElement>(new Uri(api.Uri, "/api/role-assignments"));
    coldMs.Add(stopwatch.Elapsed.TotalMilliseconds);
    returned.Add(body.GetProperty("items").GetArrayLength());
    var warm = Stopwatch.StartNew();
    await client.GetStringAsync(new Uri(api.Uri, "/api/role-assignments?refresh=true"));
    warmMs.Add(warm.Elapsed.TotalMilliseconds);
    for (var i = 0; i < 20; i++)
    {
        await client.GetStringAsync(new Uri(api.Uri, "/api/role-assignments"));
    }

    api.Child.Process.Refresh();
    workingSetMb.Add(api.Child.Process.WorkingSet64 / 1024.0 / 1024.0);
    reportedWorkingSetMb.Add((await client.GetFromJsonAsync<JsonElement>(new Uri(api.Uri, "/api/pod"))).GetProperty("workingSetBytes").GetInt64() / 1024.0 / 1024.0);
}

var cold = new Samples(coldMs);
var workingSet = new Samples(workingSetMb);
Console.WriteLine();
Console.WriteLine($"Acceptance 5: cold /api/role-assignments with {assignmentCount:N0} added assignments of the API's identity, {coldSamples} fresh API processes");
Console.WriteLine($"  items returned    {string.Join(", ", returned.Select(n => n.ToString("N0", CultureInfo.InvariantCulture)))} (the added ones plus the seeded ones)");
Console.WriteLine($"  cold request      {cold.Format("N0", "ms")} (includes the token exchange)");
Console.WriteLine($"  warm refresh      {new Samples(warmMs).Format("N0", "ms")} (?refresh=true: token cached, role definitions cached)");
Console.WriteLine($"  emulator alone    {new Samples(armListingMs).Format("N0", "ms")} for the same listing ({armPages} pages), called directly in this run");
Console.WriteLine($"  API working set   {workingSet.Format("N0", "MB")} (OS); {new Samples(reportedWorkingSetMb).Format("N0", "MB")} (/api/pod)");
benchmark.Target("cold: items returned", string.Join(", ", returned), $">= {assignmentCount:N0}, the same in every sample", returned.Count == 1 && returned.Single() >= assignmentCount);
benchmark.Target("cold: first request", cold.Format("N0", "ms"), "< 1,500 ms (median)", cold.Median < 1500);
benchmark.Target("cold: API working set", workingSet.Format("N0", "MB"), "< 200 MB (median)", workingSet.Median < 200);

try
{
    Directory.Delete(state, recursive: true);
}
catch (IOException)
{
    // The emulator may still hold a file for a moment; /tmp is cleaned by the OS.
}

return benchmark.Finish();

async Task<ApiProcess> StartApiAsync()
{
    var uri = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}/");
    var child = ChildProcess.Start(apiDll, $"--urls {uri}", new Dictionary<string, string>
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Logging__LogLevel__Default"] = "Warning",
        ["AZURE_CLIENT_ID"] = ApiClientId,
        ["AZURE_TENANT_ID"] = TenantId,
        ["AZURE_FEDERATED_TOKEN_FILE"] = tokenFile,
        ["AZURE_AUTHORITY_HOST"] = emulatorHttps.ToString(),
        ["AZURE_SUBSCRIPTION_ID"] = SubscriptionId,
        ["Arm__Endpoint"] = emulatorHttps.ToString(),
        ["SSL_CERT_DIR"] = $"{Path.Combine(state, "tls", "trust")}:/etc/ssl/certs",
    });
    await child.WaitUntilHealthyAsync(new Uri(uri, "alive"), TimeSpan.FromSeconds(60));
    return new ApiProcess(child, uri);
}

async Task<RunResult> LoadAsync(Uri api, int workers, TimeSpan duration)
{
    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers }) { BaseAddress = api };
    // The first request pays for the token exchange and the first listing; measure the steady state.
    (await client.GetAsync("/api/role-assignments")).EnsureSuccessStatusCode();
    var latencies = new List<double>[workers];
    var errors = 0;
    var stopwatch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
    {
        var mine = latencies[w] = new List<double>(200_000);
        while (stopwatch.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync("/api/role-assignments", HttpCompletionOption.ResponseContentRead);
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref errors);
            }
        }
    }));
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return new RunResult(all, stopwatch.Elapsed, errors);
}

async Task AddAssignmentsAsync(int count)
{
    var token = (await Send(HttpMethod.Post, "/admin/tokens", new { clientId = OperatorClientId, resource = "https://management.azure.com/", lifetimeSeconds = 3600 }))
        .GetProperty("access_token").GetString();
    await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
    {
        // One resource group each: a principal may hold a role only once per scope.
        var scope = $"/subscriptions/{SubscriptionId}/resourceGroups/rg-bench-{i:D5}";
        using var request = new HttpRequestMessage(HttpMethod.Put,
            $"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version=2022-04-01")
        {
            Content = JsonContent.Create(new
            {
                properties = new
                {
                    roleDefinitionId = $"/subscriptions/{SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{ReaderRoleId}",
                    principalId = ApiObjectId,
                    principalType = "ServicePrincipal",
                },
            }),
        };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await admin.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating assignment {i} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    });
}

async Task<(double Milliseconds, int Pages)> TimeArmListingAsync()
{
    var token = (await Send(HttpMethod.Post, "/admin/tokens", new { clientId = OperatorClientId, resource = "https://management.azure.com/", lifetimeSeconds = 3600 }))
        .GetProperty("access_token").GetString();
    var stopwatch = Stopwatch.StartNew();
    var pages = 0;
    string? next = $"/subscriptions/{SubscriptionId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter=assignedTo('{ApiObjectId}')";
    while (next is not null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, next);
        request.Headers.Authorization = new("Bearer", token);
        using var response = await admin.SendAsync(request);
        var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        pages++;
        next = page.TryGetProperty("nextLink", out var link) && link.ValueKind == JsonValueKind.String ? link.GetString() : null;
    }

    return (stopwatch.Elapsed.TotalMilliseconds, pages);
}

async Task<long> CountArmAsync(string operation) =>
    (await Send(HttpMethod.Get, "/admin/counters")).GetProperty("armCalls").EnumerateArray()
        .Where(c => c.GetProperty("operation").GetString() == operation && c.GetProperty("caller").GetString() == ApiObjectId)
        .Sum(c => c.GetProperty("count").GetInt64());

async Task<long> CountExchangesAsync() =>
    (await Send(HttpMethod.Get, "/admin/counters")).GetProperty("tokenExchanges").EnumerateArray()
        .Where(c => c.GetProperty("clientId").GetString() == ApiClientId)
        .Sum(c => c.GetProperty("count").GetInt64());

async Task<JsonElement> Send(HttpMethod method, string path, object? body = null)
{
    using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
    using var response = await admin.SendAsync(request);
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
    }

    return string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

static TimeSpan ProcessorTime(Process process)
{
    process.Refresh();
    return process.TotalProcessorTime;
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "RoleViewer.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("RoleViewer.sln not found above " + AppContext.BaseDirectory);
}

internal sealed record ApiProcess(ChildProcess Child, Uri Uri) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Child.DisposeAsync();
}

internal sealed record RunResult(double[] SortedLatencies, TimeSpan Elapsed, int Errors)
{
    public int Count => SortedLatencies.Length;

    public double Percentile(double p) =>
        Count == 0 ? double.NaN : SortedLatencies[Math.Clamp((int)Math.Ceiling(p / 100 * Count) - 1, 0, Count - 1)];
}
