namespace RoleViewer.Api.Tests.Emulator;

/// <summary>
/// /api/permissions* against the real AzureEmulator: the Api's computed permissions must equal what the emulator's
/// Permissions API (the same evaluator as its 403s) answers, for the seeded roles and for grants made here.
/// </summary>
public sealed class PermissionsIntegrationTests(EmulatorHost emulator) : IClassFixture<EmulatorHost>
{
    private static readonly string ReaderRoleId = SeedIds.ReaderRoleId;
    private const string ContributorRoleId = "b24988ac-6180-42a0-ab88-20f7382dd24c";
    private const string VmRead = "Microsoft.Compute/virtualMachines/read";
    private static readonly string Sub = EmulatorHost.SubscriptionScope;
    private static readonly string SeededGroup = Sub + "/resourceGroups/rg-roleviewer";
    private static readonly string AppInsights = SeededGroup + "/providers/Microsoft.Insights/components/appi-roleviewer";

    private static readonly string[] BlockProperties = ["actions", "notActions", "dataActions", "notDataActions"];

    // The page's refresh after a Try-it change forces a listing; the tests do the same instead of waiting for the TTL.
    private static Action<Dictionary<string, string?>> ShortCache => s => s["RoleAssignments:RefreshRateLimit"] = "00:00:00";

    private static async Task RefreshListingAsync(HttpClient api, CancellationToken ct)
    {
        using var response = await api.GetAsync("/api/role-assignments?refresh=true", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task ComputedPermissions_EqualTheEmulatorsPermissionsApi_ForSeededRolesAndGrantsMadeHere()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new EmulatorApiFactory(emulator, ShortCache);
        var api = factory.CreateClient();
        var group = Guid.NewGuid().ToString();
        var testGroup = $"{Sub}/resourceGroups/rg-permissions-{Guid.NewGuid():N}";
        var vm = $"{testGroup}/providers/Microsoft.Compute/virtualMachines/vm1";

        foreach (var scope in new[] { Sub, SeededGroup, AppInsights, testGroup })
        {
            Assert.Equal(await EmulatorBlocksAsync(scope, ct), await ApiBlocksAsync(api, scope, ct));
        }

        await PutGroupAsync(group, [TestIds.ObjectId], ct);
        var direct = await GrantAsync(testGroup, ReaderRoleId, TestIds.ObjectId, "ServicePrincipal", ct);
        var viaGroup = await GrantAsync(Sub, ContributorRoleId, group, "Group", ct);
        try
        {
            await RefreshListingAsync(api, ct);
            foreach (var scope in new[] { Sub, testGroup, vm, AppInsights })
            {
                var expected = await EmulatorBlocksAsync(scope, ct);
                Assert.Equal(expected, await ApiBlocksAsync(api, scope, ct));
            }

            var atVm = await api.GetFromJsonAsync<JsonElement>($"/api/permissions?scope={Uri.EscapeDataString(vm)}", ct);
            Assert.Equal(["Contributor", "Reader", "RoleViewer Reader"], atVm.GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("roleName").GetString()).Order(StringComparer.Ordinal));
            Assert.True(atVm.GetProperty("roles").EnumerateArray().Single(r => r.GetProperty("roleName").GetString() == "Contributor").GetProperty("viaGroup").GetBoolean());
        }
        finally
        {
            await RevokeAsync(direct, ct);
            await RevokeAsync(viaGroup, ct);
            using var http = emulator.CreateClient();
            await http.DeleteAsync($"/admin/groups/{group}", ct);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Check_AfterAReaderGrant_FlipsToAllowedNamingTheAssignment_AndBackAfterTheRevoke()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new EmulatorApiFactory(emulator, ShortCache);
        var api = factory.CreateClient();
        var url = $"/api/permissions/check?action={VmRead}&scope={Uri.EscapeDataString(SeededGroup)}";

        var before = await api.GetFromJsonAsync<JsonElement>(url, ct);
        var grant = await GrantAsync(Sub, ReaderRoleId, TestIds.ObjectId, "ServicePrincipal", ct);
        JsonElement after;
        try
        {
            await RefreshListingAsync(api, ct);
            after = await api.GetFromJsonAsync<JsonElement>(url, ct);
        }
        finally
        {
            await RevokeAsync(grant, ct);
        }

        await RefreshListingAsync(api, ct);
        var revoked = await api.GetFromJsonAsync<JsonElement>(url, ct);

        Assert.False(before.GetProperty("allowed").GetBoolean());
        Assert.StartsWith("Denied: none of the 1 role assignment(s)", before.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(after.GetProperty("allowed").GetBoolean());
        var grantedBy = after.GetProperty("grantedBy");
        Assert.Equal("Reader", grantedBy.GetProperty("roleName").GetString());
        Assert.Equal("*/read", grantedBy.GetProperty("pattern").GetString());
        Assert.Equal(grant, grantedBy.GetProperty("assignmentId").GetString(), ignoreCase: true);
        Assert.False(revoked.GetProperty("allowed").GetBoolean());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("/api/permissions/check", "Give the action to check")]
    [InlineData("/api/permissions/check?action=Microsoft.Compute/*", "contains '*'")]
    [InlineData("/api/permissions/check?action=read", "is not an ARM operation")]
    [InlineData("/api/permissions/check?action=Microsoft.Compute/virtualMachines/read&kind=write", "kind 'write' is unknown")]
    [InlineData("/api/permissions/check?action=Microsoft.Compute/virtualMachines/read&scope=/subscriptions/not-a-guid", "not a GUID")]
    [InlineData("/api/permissions?scope=/subscriptions/00000000-0000-0000-0000-000000000001", "only in its own subscription")]
    [InlineData("/api/permissions?scope=rg-roleviewer", "does not start with /subscriptions/")]
    public async Task BadActionOrScope_Answers400NamingTheProblem(string url, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new EmulatorApiFactory(emulator);
        var api = factory.CreateClient();

        using var response = await api.GetAsync(url, ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Doctor_WhenArmRefusesTheListing_NamesTheMissingActionAndTheSmallestBuiltInRole()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (await emulator.RevokeSeededRoleViewerReaderAsync(ct))
        {
            await using var factory = new EmulatorApiFactory(emulator);
            var api = factory.CreateClient();

            var identity = await api.GetFromJsonAsync<JsonElement>("/api/identity", ct);
            using var permissions = await api.GetAsync("/api/permissions", ct);

            var arm = identity.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "armAuthorization");
            var fix = arm.GetProperty("fix").GetString()!;
            Assert.Equal("fail", arm.GetProperty("status").GetString());
            Assert.Contains("lacks the action Microsoft.Authorization/roleAssignments/read at " + Sub, fix, StringComparison.Ordinal);
            // Of the seeded built-in roles granting it, Key Vault Reader grants the fewest operations and changes nothing.
            Assert.Contains("The smallest built-in role that grants it is \"Key Vault Reader\"", fix, StringComparison.Ordinal);
            Assert.Contains("--role \"Key Vault Reader\" --scope " + Sub, fix, StringComparison.Ordinal);
            // The name infra/main.bicep gives the deployed custom role carries the subscription.
            Assert.Contains($"RoleViewer's custom role \"RoleViewer Reader ({TestIds.SubscriptionId})\"", fix, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.BadGateway, permissions.StatusCode);
        }
    }

    /// <summary>The emulator's answer for the app identity, each block as one comparable line.</summary>
    private async Task<List<string>> EmulatorBlocksAsync(string scope, CancellationToken ct)
    {
        using var client = emulator.CreateClient();
        using var tokenResponse = await client.PostAsJsonAsync("/admin/tokens",
            new { clientId = TestIds.ClientId, resource = "https://management.azure.com/", lifetimeSeconds = 3600 }, ct);
        tokenResponse.EnsureSuccessStatusCode();
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("access_token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{scope}/providers/Microsoft.Authorization/permissions?api-version={EmulatorHost.ArmApiVersion}");
        request.Headers.Authorization = new("Bearer", token);
        using var response = await client.SendAsync(request, ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return Lines(body.GetProperty("value"));
    }

    private static async Task<List<string>> ApiBlocksAsync(HttpClient api, string scope, CancellationToken ct)
    {
        var body = await api.GetFromJsonAsync<JsonElement>($"/api/permissions?scope={Uri.EscapeDataString(scope)}", ct);
        Assert.False(body.GetProperty("stale").GetBoolean());
        return Lines(body.GetProperty("roles"));
    }

    private static List<string> Lines(JsonElement blocks) =>
        [.. blocks.EnumerateArray()
            .Select(b => string.Join(" | ", BlockProperties
                .Select(p => p + ": " + string.Join(",", b.GetProperty(p).EnumerateArray().Select(a => a.GetString())))))
            .Order(StringComparer.Ordinal)];

    private async Task<string> GrantAsync(string scope, string roleId, string principalId, string principalType, CancellationToken ct)
    {
        var id = $"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}";
        using var response = await emulator.ArmAsOperatorAsync(HttpMethod.Put, id, new
        {
            properties = new { roleDefinitionId = $"{Sub}/providers/Microsoft.Authorization/roleDefinitions/{roleId}", principalId, principalType },
        }, ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
        return id;
    }

    private async Task RevokeAsync(string id, CancellationToken ct)
    {
        using var response = await emulator.ArmAsOperatorAsync(HttpMethod.Delete, id, null, ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    private async Task PutGroupAsync(string objectId, string[] members, CancellationToken ct)
    {
        using var client = emulator.CreateClient();
        using var response = await client.PutAsJsonAsync($"/admin/groups/{objectId}", new { displayName = "sg-permissions", members }, ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
    }
}
