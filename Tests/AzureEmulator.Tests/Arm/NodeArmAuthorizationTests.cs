using System.Diagnostics;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;

namespace AzureEmulator.Tests.Arm;

/// <summary>The emulator with three-item pages, so that Node's paging follows nextLink several times.</summary>
public sealed class ThreeItemPagesEmulatorFixture : EmulatorFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Emulator:Arm:PageSize"] = "3" };
}

/// <summary>@azure/arm-authorization 9, a client no one on the team wrote, against the emulator.</summary>
public sealed class NodeArmAuthorizationTests(ThreeItemPagesEmulatorFixture emulator) : IClassFixture<ThreeItemPagesEmulatorFixture>
{
    private static readonly string PeersDirectory = typeof(NodeArmAuthorizationTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NodePeersDirectory").Value!;

    [Fact(Timeout = 120_000)]
    public async Task ArmAuthorization9_WithEndpointAndCredentialScopes_ListsPagesCreatesGetsDeletesAndReadsDefinitions()
    {
        var ct = TestContext.Current.CancellationToken;
        using (var http = emulator.CreateClient())
        {
            var bulk = await http.PostAsJsonAsync("/admin/arm/bulk-assignments", new { count = 5, scope = $"/subscriptions/{SeedDirectory.SubscriptionId}/resourceGroups/rg-node-bulk" }, ct);
            bulk.EnsureSuccessStatusCode();
        }

        var result = await RunNodeAsync(ct);

        Assert.Null(result["error"]);
        var pages = result["pages"]!.AsArray().Select(p => p!.GetValue<int>()).ToList();
        Assert.True(pages.Count >= 3, $"expected at least 3 pages, got {pages.Count}");
        Assert.Equal(8, pages.Sum());
        Assert.Equal($"/subscriptions/{SeedDirectory.SubscriptionId}/resourceGroups/rg-node", result["created"]!["scope"]!.GetValue<string>());
        Assert.True(result["created"]!["createdOnIsDate"]!.GetValue<bool>());
        Assert.Equal(result["created"]!["name"]!.GetValue<string>(), result["fetchedName"]!.GetValue<string>());
        Assert.True(result["filteredContainsCreated"]!.GetValue<bool>());
        Assert.Equal(result["created"]!["name"]!.GetValue<string>(), result["deletedName"]!.GetValue<string>());
        Assert.Equal("RoleAssignmentNotFound", result["afterDelete"]!.GetValue<string>());
        Assert.Equal("Reader", result["readerRoleName"]!.GetValue<string>());
        Assert.Equal("*/read", result["readerActions"]![0]!.GetValue<string>());
        Assert.Equal("RoleViewer Reader", Assert.Single(result["byName"]!.AsArray())!.GetValue<string>());
    }

    private async Task<JsonNode> RunNodeAsync(CancellationToken ct)
    {
        var script = Path.Combine(PeersDirectory, "..", "Arm", "node", "arm-authorization.mjs");
        var info = new ProcessStartInfo("node", [script, emulator.Origin.ToString().TrimEnd('/'), SeedDirectory.OperatorClientId, SeedDirectory.SubscriptionId, SeedDirectory.ApiObjectId])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["NODE_EXTRA_CA_CERTS"] = emulator.CaCertificatePath;
        info.Environment["NODE_PEERS_DIRECTORY"] = PeersDirectory;
        info.Environment["EMULATOR_ADMIN_KEY"] = emulator.AdminKey;

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var output = await stdout;
        return JsonNode.Parse(output.Trim().Split('\n')[^1])
            ?? throw new InvalidOperationException($"node printed nothing; stderr: {await stderr}");
    }
}
