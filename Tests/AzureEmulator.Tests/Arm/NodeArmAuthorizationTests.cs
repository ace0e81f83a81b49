namespace AzureEmulator.Tests.Arm;

/// <summary>The emulator with three-item pages, so that Node's paging follows nextLink several times.</summary>
public sealed class ThreeItemPagesEmulatorFixture : EmulatorFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Emulator:Arm:PageSize"] = "3" };
}

/// <summary>
/// @azure/arm-authorization 9 (every roleAssignments and roleDefinitions operation), @azure/arm-resources-subscriptions 3
/// and @azure/identity's ClientSecretCredential — clients no one on the team wrote — against the emulator.
/// </summary>
public sealed class NodeArmAuthorizationTests(ThreeItemPagesEmulatorFixture emulator) : IClassFixture<ThreeItemPagesEmulatorFixture>
{
    [Fact(Timeout = 180_000)]
    public async Task JavaScriptSdks_RunEveryRoleAssignmentAndRoleDefinitionOperation_AndListSubscriptionsAndTenants()
    {
        var ct = TestContext.Current.CancellationToken;
        string secret;
        using (var http = emulator.CreateClient())
        {
            var bulk = await http.PostAsJsonAsync("/admin/arm/bulk-assignments", new { count = 5, scope = $"/subscriptions/{SeedIds.SubscriptionId}/resourceGroups/rg-node-bulk" }, ct);
            bulk.EnsureSuccessStatusCode();
            var added = await http.PostAsJsonAsync($"/admin/identities/{SeedIds.OperatorClientId}/client-secrets", new { displayName = "node" }, ct);
            added.EnsureSuccessStatusCode();
            secret = (await added.Content.ReadFromJsonAsync<JsonNode>(ct))!["secretText"]!.GetValue<string>();
        }

        var result = await RunNodeAsync(secret, ct);

        Assert.Null(result["error"]);
        var pages = result["pages"]!.AsArray().Select(p => p!.GetValue<int>()).ToList();
        Assert.True(pages.Count >= 3, $"expected at least 3 pages, got {pages.Count}");
        Assert.Equal(8, pages.Sum());
        Assert.Equal(8, result["listForSubscription"]!.GetValue<int>());
        Assert.Equal(["6e8a0c2e-4f6b-4d8f-9a1c-3e5a7c9e1b3d", "9b2e4c6a-0d1f-4a3b-8c5d-7e9f1a2b3c4d", "d3f5a7c9-1b2d-4e6f-8a0b-2c4e6a8c0e1f"], Names(result["listForResourceGroup"]).Order());
        Assert.Equal(["6e8a0c2e-4f6b-4d8f-9a1c-3e5a7c9e1b3d", "9b2e4c6a-0d1f-4a3b-8c5d-7e9f1a2b3c4d", "d3f5a7c9-1b2d-4e6f-8a0b-2c4e6a8c0e1f"], Names(result["listForResource"]).Order());
        Assert.Equal(["Monitoring Metrics Publisher", "RoleViewer Reader"], Names(result["roleNamesById"]));

        Assert.Equal($"/subscriptions/{SeedIds.SubscriptionId}/resourceGroups/rg-node", result["created"]!["scope"]!.GetValue<string>());
        Assert.True(result["created"]!["createdOnIsDate"]!.GetValue<bool>());
        var name = result["created"]!["name"]!.GetValue<string>();
        Assert.Equal(name, result["fetchedWithSlash"]!.GetValue<string>());
        Assert.Equal(name, result["fetchedById"]!.GetValue<string>());
        Assert.Equal(name, result["deletedName"]!.GetValue<string>());
        Assert.Equal("RoleAssignmentNotFound", result["afterDelete"]!.GetValue<string>());
        Assert.True(result["createdById"]!.GetValue<bool>());
        Assert.True(result["deletedById"]!.GetValue<bool>());
        Assert.Equal("RoleAssignmentNotFound", result["afterDeleteById"]!.GetValue<string>());

        Assert.Equal("Reader", result["reader"]!["roleName"]!.GetValue<string>());
        Assert.Equal("*/read", result["reader"]!["actions"]![0]!.GetValue<string>());
        Assert.True(result["reader"]!["updatedOn"]!.GetValue<bool>());
        Assert.Equal("RoleViewer Reader", Assert.Single(result["byName"]!.AsArray())!.GetValue<string>());
        Assert.Equal("CustomRole", result["custom"]!["roleType"]!.GetValue<string>());
        Assert.StartsWith($"/subscriptions/{SeedIds.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/", result["custom"]!["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(result["customListed"]!.GetValue<bool>());
        Assert.True(result["customDeleted"]!.GetValue<bool>());
        Assert.Equal("RoleDefinitionDoesNotExist", result["afterCustomDelete"]!.GetValue<string>());

        var subscription = Assert.Single(result["subscriptions"]!.AsArray())!;
        Assert.Equal(SeedIds.SubscriptionId, subscription["id"]!.GetValue<string>());
        Assert.Equal("Enabled", subscription["state"]!.GetValue<string>());
        Assert.Equal(SeedIds.TenantId, subscription["tenantId"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(result["subscription"]!.GetValue<string>()));
        Assert.Equal(SeedIds.TenantId, Assert.Single(result["tenants"]!.AsArray())!.GetValue<string>());
    }

    private static IEnumerable<string> Names(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>());

    private async Task<JsonNode> RunNodeAsync(string secret, CancellationToken ct)
    {
        var script = Path.Combine(NodePeers.Directory, "..", "Arm", "node", "arm-authorization.mjs");
        var (_, output, error) = await NodePeers.RunAsync(script, new Dictionary<string, string>
        {
            ["NODE_EXTRA_CA_CERTS"] = emulator.CaCertificatePath,
            ["NODE_PEERS_DIRECTORY"] = NodePeers.Directory,
        }, ct, emulator.Origin.ToString().TrimEnd('/'), SeedIds.TenantId, SeedIds.OperatorClientId, secret, SeedIds.SubscriptionId, SeedIds.ApiObjectId);
        var last = output.Trim().Split('\n')[^1];
        return (string.IsNullOrWhiteSpace(last) ? null : JsonNode.Parse(last))
            ?? throw new InvalidOperationException($"node printed nothing; stderr: {error}");
    }
}
