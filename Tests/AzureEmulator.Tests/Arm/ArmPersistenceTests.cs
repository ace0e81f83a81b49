using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace AzureEmulator.Tests.Arm;

/// <summary>The emulator as its own process, so that it can be killed with SIGKILL and started again on the same state.</summary>
public sealed class ArmPersistenceTests : IDisposable
{
    private readonly string stateDirectory = Directory.CreateTempSubdirectory("arm-persistence-").FullName;

    [Fact(Timeout = 180_000)]
    public async Task Assignments_WhenEmulatorIsKilledAndRestarted_AreAllThere()
    {
        var ct = TestContext.Current.CancellationToken;
        var names = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();

        using (var first = await EmulatorProcess.StartAsync(stateDirectory, ct))
        {
            first.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await first.TokenAsync(SeedDirectory.OperatorClientId, ct));
            foreach (var (name, i) in names.Select((n, i) => (n, i)))
            {
                using var response = await first.Http.PutAsJsonAsync(AssignmentUrl(i, name), new
                {
                    properties = new { roleDefinitionId = ArmClient.RoleId("acdd72a7-3385-48ef-bd42-f606fba81ae7"), principalId = SeedDirectory.ReaderLessObjectId, principalType = "ServicePrincipal" },
                }, ct);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }

            first.Kill();
        }

        using var second = await EmulatorProcess.StartAsync(stateDirectory, ct);
        var readerToken = await second.TokenAsync(SeedDirectory.OperatorClientId, ct);
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, AssignmentUrl(i, name));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", readerToken);
            using var response = await second.Http.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Start_WhenStateFileIsDamaged_FailsNamingTheFileAndLeavesItUntouched()
    {
        var ct = TestContext.Current.CancellationToken;
        var stateFile = Path.Combine(stateDirectory, "authorization.json");
        await File.WriteAllTextAsync(stateFile, "{ \"roleDefinitions\": [", ct);

        var (exitCode, output) = await EmulatorProcess.RunUntilExitAsync(stateDirectory, ct);

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
            Directory.Delete(stateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans /tmp; a leftover must not fail the run.
        }
    }

    private sealed class EmulatorProcess : IDisposable
    {
        private readonly Process process;

        private EmulatorProcess(Process process, HttpClient http)
        {
            this.process = process;
            Http = http;
        }

        public HttpClient Http { get; }

        public static async Task<EmulatorProcess> StartAsync(string stateDirectory, CancellationToken ct)
        {
            var port = FreePort();
            var process = Process.Start(StartInfo(stateDirectory, port))!;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var http = new HttpClient(EmulatorCaTrust.CreateHandler(Path.Combine(stateDirectory, "tls", "ca.crt"))) { BaseAddress = new Uri($"https://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            while (true)
            {
                Assert.False(process.HasExited, "the emulator process exited during start-up");
                try
                {
                    using var response = await http.GetAsync(new Uri("/alive", UriKind.Relative), timeout.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return new EmulatorProcess(process, http);
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet, or the CA is not written yet.
                }

                await Task.Delay(200, timeout.Token);
                http.Dispose();
                http = new HttpClient(EmulatorCaTrust.CreateHandler(Path.Combine(stateDirectory, "tls", "ca.crt"))) { BaseAddress = new Uri($"https://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            }
        }

        public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string stateDirectory, CancellationToken ct)
        {
            using var process = Process.Start(StartInfo(stateDirectory, FreePort()))!;
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
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
            process.Kill(entireProcessTree: false);
            process.WaitForExit();
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
            Http.Dispose();
        }

        private static ProcessStartInfo StartInfo(string stateDirectory, int port)
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
