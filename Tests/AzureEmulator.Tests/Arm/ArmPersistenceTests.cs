using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using AzureEmulator.Admin;

namespace AzureEmulator.Tests.Arm;

/// <summary>The emulator as its own process, so that it can be killed with SIGKILL and started again on the same state.</summary>
public sealed class ArmPersistenceTests : IDisposable
{
    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("arm-persistence-").FullName;

    // Two cold starts of a separate process (JIT, CA and key generation) on a loaded 2-core machine: minutes, not seconds.
    [Fact(Timeout = 600_000)]
    public async Task Assignments_WhenEmulatorIsKilledAndRestarted_AreAllThere()
    {
        var ct = TestContext.Current.CancellationToken;
        var names = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();

        using (var first = await EmulatorProcess.StartAsync(_stateDirectory, ct))
        {
            first.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await first.TokenAsync(SeedIds.OperatorClientId, ct));
            foreach (var (name, i) in names.Select((n, i) => (n, i)))
            {
                using var response = await first.Http.PutAsJsonAsync(AssignmentUrl(i, name), new
                {
                    properties = new { roleDefinitionId = ArmClient.RoleId("acdd72a7-3385-48ef-bd42-f606fba81ae7"), principalId = SeedIds.ReaderLessObjectId, principalType = "ServicePrincipal" },
                }, ct);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }

            first.Kill();
        }

        using var second = await EmulatorProcess.StartAsync(_stateDirectory, ct);
        var readerToken = await second.TokenAsync(SeedIds.OperatorClientId, ct);
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, AssignmentUrl(i, name));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", readerToken);
            using var response = await second.Http.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task Start_WhenStateFileIsDamaged_FailsNamingTheFileAndLeavesItUntouched()
    {
        var ct = TestContext.Current.CancellationToken;
        var stateFile = Path.Combine(_stateDirectory, "authorization.json");
        await File.WriteAllTextAsync(stateFile, "{ \"roleDefinitions\": [", ct);

        var (exitCode, output) = await EmulatorProcess.RunUntilExitAsync(_stateDirectory, ct);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(stateFile, output, StringComparison.Ordinal);
        Assert.Contains("cannot be read", output, StringComparison.Ordinal);
        Assert.Equal("{ \"roleDefinitions\": [", await File.ReadAllTextAsync(stateFile, ct));
    }

    private static string AssignmentUrl(int i, Guid name) =>
        $"{ArmClient.SubscriptionScope}/resourceGroups/rg-kill-{i}/providers/Microsoft.Authorization/roleAssignments/{name}?api-version={ArmClient.ApiVersion}";

    public void Dispose()
    {
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans /tmp; a leftover must not fail the run.
        }
    }

    private sealed class EmulatorProcess : IDisposable
    {
        /// <summary>A cold start takes seconds alone and can take a minute or more while other builds and tests share two cores.</summary>
        private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(180);

        private readonly Process _process;

        private EmulatorProcess(Process process, HttpClient http)
        {
            _process = process;
            Http = http;
        }

        public HttpClient Http { get; }

        public static async Task<EmulatorProcess> StartAsync(string stateDirectory, CancellationToken ct)
        {
            var port = FreePort();
            var adminKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
            var output = new ConcurrentQueue<string>();
            var process = new Process { StartInfo = StartInfo(stateDirectory, port, adminKey) };
            process.OutputDataReceived += (_, e) => Keep(output, e.Data);
            process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var caFile = Path.Combine(stateDirectory, "tls", "ca.crt");
            var started = Stopwatch.StartNew();
            var lastFailure = "no answer yet";
            while (started.Elapsed < StartupLimit)
            {
                if (process.HasExited)
                {
                    Assert.Fail($"The emulator exited during start-up with code {process.ExitCode}. Its output:\n{string.Join('\n', output)}");
                }

                // A fresh handler each try: it must not cache "no CA file yet" from a try before the emulator wrote it.
                var http = NewClient(caFile, port, adminKey);
                try
                {
                    using var response = await http.GetAsync(new Uri("/alive", UriKind.Relative), ct);
                    if (response.IsSuccessStatusCode)
                    {
                        return new EmulatorProcess(process, http);
                    }

                    lastFailure = $"/alive answered {(int)response.StatusCode}";
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    // Not listening yet, the CA not written yet, or too slow to answer under load.
                    lastFailure = ex.Message;
                }

                http.Dispose();
                await Task.Delay(250, ct);
            }

            process.Kill();
            Assert.Fail($"The emulator did not answer /alive within {StartupLimit.TotalSeconds:0} s (last: {lastFailure}). Its output:\n{string.Join('\n', output)}");
            throw new UnreachableException();
        }

        public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string stateDirectory, CancellationToken ct)
        {
            using var process = Process.Start(StartInfo(stateDirectory, FreePort(), adminKey: null))!;
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(StartupLimit);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout + await stderr);
        }

        public async Task<string> TokenAsync(string clientId, CancellationToken ct)
        {
            using var response = await Http.PostAsJsonAsync("/admin/tokens", new { clientId, resource = "https://management.azure.com/" }, ct);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonNode>(ct))!["access_token"]!.GetValue<string>();
        }

        /// <summary>SIGKILL: no shutdown code runs, like kill -9.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }

            _process.Dispose();
            Http.Dispose();
        }

        private static HttpClient NewClient(string caFile, int port, string adminKey)
        {
            var http = new HttpClient(EmulatorCaTrust.CreateHandler(caFile)) { BaseAddress = new Uri($"https://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add(AdminOwnerOnly.HeaderName, adminKey);
            return http;
        }

        private static void Keep(ConcurrentQueue<string> output, string? line)
        {
            if (line is null)
            {
                return;
            }

            output.Enqueue(line);
            while (output.Count > 200)
            {
                output.TryDequeue(out _);
            }
        }

        private static ProcessStartInfo StartInfo(string stateDirectory, int port, string? adminKey)
        {
            var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "AzureEmulator.dll")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            info.Environment["Emulator__StateDirectory"] = stateDirectory;
            info.Environment["Emulator__SeedDirectory"] = Path.Combine(AppContext.BaseDirectory, "Seed");
            info.Environment["ASPNETCORE_URLS"] = $"https://127.0.0.1:{port}";
            info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            if (adminKey is not null)
            {
                // The admin API (which mints the tokens below) answers only to the per-run key.
                info.Environment["Emulator__AdminKey"] = adminKey;
            }

            return info;
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
