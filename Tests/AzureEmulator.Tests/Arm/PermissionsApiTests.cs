using Azure.Core;

namespace AzureEmulator.Tests.Arm;

/// <summary>GET {scope}/providers/Microsoft.Authorization/permissions: the caller's own permission blocks, as ARM lists them.</summary>
public sealed class PermissionsApiTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private const string Reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    private static readonly string ResourceGroup = $"{ArmClient.SubscriptionScope}/resourceGroups/rg-roleviewer";
    private static readonly string AppInsights = $"{ResourceGroup}/providers/Microsoft.Insights/components/appi-roleviewer";

    private static string Url(string scope) => $"{scope}/providers/Microsoft.Authorization/permissions?api-version={ArmClient.ApiVersion}";

    private static List<string> Actions(JsonNode? body) =>
        [.. body!["value"]!.AsArray().SelectMany(p => p!["actions"]!.AsArray().Select(a => a!.GetValue<string>()))];

    [Theory(Timeout = 60_000)]
    [InlineData("subscription")]
    [InlineData("resourceGroup")]
    public async Task List_ForTheSeededApp_AnswersItsCustomRoleBlockAtSubscriptionAndResourceGroup(string level)
    {
        var ct = TestContext.Current.CancellationToken;
        var app = new ArmClient(emulator, SeedIds.ApiClientId);

        var (status, body, _) = await app.GetAsync(Url(level == "subscription" ? ArmClient.SubscriptionScope : ResourceGroup), ct);

        Assert.Equal(200, status);
        var block = Assert.Single(body!["value"]!.AsArray())!;
        Assert.Equal(["Microsoft.Authorization/roleAssignments/read", "Microsoft.Authorization/roleDefinitions/read"], Actions(body));
        Assert.Empty(block["notActions"]!.AsArray());
        Assert.Empty(block["dataActions"]!.AsArray());
        Assert.Empty(block["notDataActions"]!.AsArray());
        Assert.Null(body["nextLink"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task List_AtAResource_AddsTheRolesAssignedOnTheResourceItself()
    {
        var ct = TestContext.Current.CancellationToken;
        var (status, body, _) = await new ArmClient(emulator, SeedIds.ApiClientId).GetAsync(Url(AppInsights), ct);

        Assert.Equal(200, status);
        Assert.Equal(2, body!["value"]!.AsArray().Count);
        Assert.Contains("Microsoft.Insights/Register/Action", Actions(body));
        Assert.Contains(body["value"]!.AsArray(), p => p!["dataActions"]!.AsArray().Any(a => a!.GetValue<string>() == "Microsoft.Insights/Metrics/Write"));
    }

    [Fact(Timeout = 60_000)]
    public async Task List_ForACallerWithoutRoles_IsAnEmptyListNotA403()
    {
        var ct = TestContext.Current.CancellationToken;
        var (status, body, _) = await new ArmClient(emulator, SeedIds.ReaderLessClientId).GetAsync(Url(ArmClient.SubscriptionScope), ct);

        Assert.Equal(200, status);
        Assert.Empty(body!["value"]!.AsArray());
    }

    [Fact(Timeout = 60_000)]
    public async Task List_AfterAGrantToTheCallersGroup_IncludesTheGroupsRoleAndAgreesWithRbac()
    {
        var ct = TestContext.Current.CancellationToken;
        var group = Guid.NewGuid().ToString();
        using (var http = emulator.CreateClient())
        {
            using var put = await http.PutAsJsonAsync($"/admin/groups/{group}", new { displayName = "sg-permissions", members = new[] { SeedIds.ReaderLessObjectId } }, ct);
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync(ct));
        }

        var member = new ArmClient(emulator, SeedIds.ReaderLessClientId);
        var rg = $"{ArmClient.SubscriptionScope}/resourceGroups/rg-permissions";
        var (created, _, _) = await new ArmClient(emulator, SeedIds.OperatorClientId).SendAsync(RequestMethod.Put,
            $"{rg}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version={ArmClient.ApiVersion}",
            new { properties = new { roleDefinitionId = ArmClient.RoleId(Reader), principalId = group, principalType = "Group" } }, ct);

        var (_, atRg, _) = await member.GetAsync(Url(rg), ct);
        var (_, atSubscription, _) = await member.GetAsync(Url(ArmClient.SubscriptionScope), ct);
        // The same evaluator decides ARM's 403s: reading assignments in that group now works, above it not.
        var (listInRg, _, _) = await member.GetAsync($"{rg}/providers/Microsoft.Authorization/roleAssignments?api-version={ArmClient.ApiVersion}", ct);
        var (listInSubscription, _, _) = await member.GetAsync($"{ArmClient.SubscriptionScope}/providers/Microsoft.Authorization/roleAssignments?api-version={ArmClient.ApiVersion}", ct);

        Assert.Equal(201, created);
        Assert.Equal(["*/read"], Actions(atRg));
        Assert.Empty(atSubscription!["value"]!.AsArray());
        Assert.Equal(200, listInRg);
        Assert.Equal(403, listInSubscription);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("/providers/Microsoft.Management/managementGroups/mg1", 400, "InvalidScope")]
    [InlineData("/subscriptions/00000000-0000-0000-0000-00000000abcd", 404, "SubscriptionNotFound")]
    public async Task List_OutsideASubscriptionOrInAnUnknownOne_FailsLikeArm(string scope, int expected, string code)
    {
        var ct = TestContext.Current.CancellationToken;
        var (status, body, _) = await new ArmClient(emulator, SeedIds.ApiClientId).GetAsync(Url(scope), ct);

        Assert.Equal(expected, status);
        Assert.Equal(code, body!["error"]!["code"]!.GetValue<string>());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("2015-07-01", "actions,notActions")]
    [InlineData("2018-01-01-preview", "actions,notActions,dataActions,notDataActions")]
    [InlineData("2022-04-01", "actions,notActions,dataActions,notDataActions")]
    [InlineData("2022-05-01-preview", "actions,notActions,dataActions,notDataActions,condition,conditionVersion")]
    public async Task List_AtEachServedVersion_HasThatVersionsPermissionProperties(string apiVersion, string properties)
    {
        var ct = TestContext.Current.CancellationToken;
        var (status, body, _) = await new ArmClient(emulator, SeedIds.ApiClientId)
            .GetAsync($"{ArmClient.SubscriptionScope}/providers/Microsoft.Authorization/permissions?api-version={apiVersion}", ct);

        Assert.Equal(200, status);
        Assert.Equal(properties.Split(','), body!["value"]![0]!.AsObject().Select(p => p.Key));
    }

    [Fact(Timeout = 60_000)]
    public async Task List_AtAVersionWhoseSpecHasNoPermissions_IsInvalidResourceTypeNamingTheServedVersions()
    {
        var ct = TestContext.Current.CancellationToken;
        var (status, body, _) = await new ArmClient(emulator, SeedIds.ApiClientId)
            .GetAsync($"{ArmClient.SubscriptionScope}/providers/Microsoft.Authorization/permissions?api-version=2020-04-01-preview", ct);

        Assert.Equal(400, status);
        Assert.Equal("InvalidResourceType", body!["error"]!["code"]!.GetValue<string>());
        Assert.Contains("2015-07-01,2018-01-01-preview,2022-04-01,2022-05-01-preview", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
