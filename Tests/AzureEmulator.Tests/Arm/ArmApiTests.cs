using System.Net.Http.Headers;
using Azure;
using Azure.Core;
using AzureEmulator.Diagnostics;
using AzureEmulator.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AzureEmulator.Tests.Arm;

/// <summary>The emulator with small pages, so that a handful of assignments spans several pages.</summary>
public sealed class SmallPagesEmulatorFixture : EmulatorFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Emulator:Arm:PageSize"] = "2" };
}

public sealed class ArmApiTests(SmallPagesEmulatorFixture emulator) : IClassFixture<SmallPagesEmulatorFixture>
{
    private const string Reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    private const string RoleViewerReaderAssignment = "d3f5a7c9-1b2d-4e6f-8a0b-2c4e6a8c0e1f";
    private const string MonitoringPublisherAssignment = "6e8a0c2e-4f6b-4d8f-9a1c-3e5a7c9e1b3d";
    private static readonly string Assignments = $"{ArmClient.SubscriptionScope}/providers/Microsoft.Authorization/roleAssignments";

    private ArmClient Operator => new(emulator, SeedIds.OperatorClientId);

    private ArmClient App => new(emulator, SeedIds.ApiClientId);

    private static object Body(string roleGuid, string principalId, string? principalType = "ServicePrincipal") =>
        new { properties = new { roleDefinitionId = ArmClient.RoleId(roleGuid), principalId, principalType } };

    [Fact(Timeout = 60_000)]
    public async Task ListForScope_WhenAssignmentsSpanPages_FollowsAbsoluteNextLinksToEveryItem()
    {
        var ct = TestContext.Current.CancellationToken;
        var op = Operator;
        var before = (await op.ListAllAsync($"{Assignments}?api-version={ArmClient.ApiVersion}", ct)).Items.Count;
        var created = Enumerable.Range(0, 3)
            .Select(i => $"{ArmClient.SubscriptionScope}/resourceGroups/rg-pages-{i}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version={ArmClient.ApiVersion}")
            .ToList();
        int first, pages;
        JsonNode? body;
        List<JsonNode> items;
        try
        {
            foreach (var assignment in created)
            {
                Assert.Equal(201, (await op.SendAsync(RequestMethod.Put, assignment, Body(Reader, SeedIds.ReaderLessObjectId), ct)).Status);
            }

            (first, body, _) = await op.GetAsync($"{Assignments}?api-version={ArmClient.ApiVersion}", ct);
            (items, pages) = await op.ListAllAsync($"{Assignments}?api-version={ArmClient.ApiVersion}", ct);
        }
        finally
        {
            // Through ARM, so that the other tests of this class see the seeded assignments only.
            foreach (var assignment in created)
            {
                await op.SendAsync(RequestMethod.Delete, assignment, null, ct);
            }
        }

        var nextLink = new Uri(body!["nextLink"]!.GetValue<string>());

        Assert.Equal(200, first);
        Assert.Equal(emulator.Origin.GetLeftPart(UriPartial.Authority), nextLink.GetLeftPart(UriPartial.Authority));
        Assert.Contains("api-version=2022-04-01", nextLink.Query, StringComparison.Ordinal);
        Assert.Contains("$skipToken=", nextLink.Query, StringComparison.Ordinal);
        Assert.Equal(before + 3, items.Count);
        Assert.Equal((items.Count + 1) / 2, pages);
        Assert.Equal(items.Count, items.Select(i => i["name"]!.GetValue<string>()).Distinct().Count());
        Assert.Contains(items, i => i["name"]!.GetValue<string>() == RoleViewerReaderAssignment);
    }

    [Fact(Timeout = 30_000)]
    public async Task ListForScope_WithPortalFilterPlusAndBraces_ReturnsAssignmentsAtOrAboveForThePrincipal()
    {
        using var http = emulator.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await ArmClient.GetTokenAsync(emulator, SeedIds.ApiClientId, "https://management.azure.com/", TestContext.Current.CancellationToken));

        var atScope = await http.GetFromJsonAsync<JsonNode>(
            $"{Assignments}?api-version=2022-04-01&$filter=atScope()+and+assignedTo('{{{SeedIds.ApiObjectId}}}')", TestContext.Current.CancellationToken);
        var all = await http.GetFromJsonAsync<JsonNode>(
            $"{Assignments}?api-version=2022-04-01&$filter=principalId%20eq%20%27{SeedIds.ApiObjectId}%27", TestContext.Current.CancellationToken);

        var only = Assert.Single(atScope!["value"]!.AsArray());
        Assert.Equal(RoleViewerReaderAssignment, only!["name"]!.GetValue<string>());
        // Also Monitoring Metrics Publisher on Application Insights, below the subscription (seeded).
        Assert.Contains(all!["value"]!.AsArray(), a => a!["name"]!.GetValue<string>() == MonitoringPublisherAssignment);
        Assert.All(all["value"]!.AsArray(), a => Assert.Equal(SeedIds.ApiObjectId, a!["properties"]!["principalId"]!.GetValue<string>()));
        var properties = only["properties"]!.AsObject();
        Assert.Equal(
            ["roleDefinitionId", "principalId", "principalType", "scope", "condition", "conditionVersion", "createdOn", "updatedOn", "createdBy", "updatedBy", "delegatedManagedIdentityResourceId", "description"],
            properties.Select(p => p.Key));
        Assert.Equal("Microsoft.Authorization/roleAssignments", only["type"]!.GetValue<string>());
        Assert.Equal($"{Assignments}/{RoleViewerReaderAssignment}", only["id"]!.GetValue<string>());
    }

    [Fact(Timeout = 30_000)]
    public async Task CreateGetDelete_WithOperator_BehavesLikeArm()
    {
        var op = Operator;
        var name = Guid.NewGuid();
        var url = $"{ArmClient.SubscriptionScope}/resourceGroups/rg-crud/providers/Microsoft.Authorization/roleAssignments/{name}?api-version={ArmClient.ApiVersion}";

        var created = await op.SendAsync(RequestMethod.Put, url, new { properties = new { roleDefinitionId = ArmClient.RoleId(AcrPull), principalId = SeedIds.ApiObjectId, description = "pull images" } }, TestContext.Current.CancellationToken);
        var duplicate = await op.SendAsync(RequestMethod.Put, url.Replace(name.ToString(), Guid.NewGuid().ToString(), StringComparison.Ordinal), Body(AcrPull, SeedIds.ApiObjectId), TestContext.Current.CancellationToken);
        var fetched = await op.GetAsync(url, TestContext.Current.CancellationToken);
        var deleted = await op.SendAsync(RequestMethod.Delete, url, null, TestContext.Current.CancellationToken);
        var deletedAgain = await op.SendAsync(RequestMethod.Delete, url, null, TestContext.Current.CancellationToken);
        var missing = await op.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(201, created.Status);
        Assert.Equal("ServicePrincipal", created.Body!["properties"]!["principalType"]!.GetValue<string>());
        Assert.Equal("pull images", created.Body["properties"]!["description"]!.GetValue<string>());
        Assert.Equal(SeedIds.OperatorObjectId, created.Body["properties"]!["createdBy"]!.GetValue<string>());
        Assert.Equal((409, "RoleAssignmentExists"), (duplicate.Status, duplicate.Body!["error"]!["code"]!.GetValue<string>()));
        Assert.Equal(200, fetched.Status);
        Assert.Equal(created.Body.ToJsonString(), fetched.Body!.ToJsonString());
        Assert.Equal(200, deleted.Status);
        Assert.Equal(204, deletedAgain.Status);
        Assert.Equal((404, "RoleAssignmentNotFound"), (missing.Status, missing.Body!["error"]!["code"]!.GetValue<string>()));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/providers/Microsoft.Authorization/roleDefinitions/not-a-guid", "c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f", "ServicePrincipal", "InvalidRoleDefinitionId")]
    [InlineData("/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7", "c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f", "ServicePrincipal", "InvalidRoleDefinitionId")]
    [InlineData("/providers/Microsoft.Authorization/roleDefinitions/11111111-1111-1111-1111-111111111111", "c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f", "ServicePrincipal", "RoleDefinitionDoesNotExist")]
    [InlineData("/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7", "9f9f9f9f-9f9f-4f9f-9f9f-9f9f9f9f9f9f", null, "PrincipalNotFound")]
    [InlineData("/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7", "c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f", "User", "UnmatchedPrincipalType")]
    [InlineData("/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7", "nobody", "User", "InvalidPrincipalId")]
    public async Task Create_WhenBodyIsInvalid_Returns400WithArmCode(string roleDefinitionId, string principalId, string? principalType, string code)
    {
        var url = $"{ArmClient.SubscriptionScope}/resourceGroups/rg-invalid/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version={ArmClient.ApiVersion}";

        var (status, body, _) = await Operator.SendAsync(RequestMethod.Put, url, new { properties = new { roleDefinitionId, principalId, principalType } }, TestContext.Current.CancellationToken);

        Assert.Equal((400, code), (status, body!["error"]!["code"]!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(body["error"]!["message"]!.GetValue<string>()));
    }

    [Fact(Timeout = 30_000)]
    public async Task RoleDefinitions_GetAndListWithFilters_ReturnArmShapes()
    {
        var app = App;
        var definitions = $"{ArmClient.SubscriptionScope}/providers/Microsoft.Authorization/roleDefinitions";

        var reader = await app.GetAsync($"{definitions}/{Reader}?api-version={ArmClient.ApiVersion}", TestContext.Current.CancellationToken);
        var byName = await app.GetAsync($"{definitions}?api-version={ArmClient.ApiVersion}&$filter=roleName%20eq%20%27Reader%27", TestContext.Current.CancellationToken);
        var (custom, _) = await app.ListAllAsync($"{definitions}?api-version={ArmClient.ApiVersion}&$filter=type%20eq%20%27CustomRole%27", TestContext.Current.CancellationToken);
        var (all, pages) = await app.ListAllAsync($"{definitions}?api-version={ArmClient.ApiVersion}", TestContext.Current.CancellationToken);
        var unknown = await app.GetAsync($"{definitions}/{Guid.NewGuid()}?api-version={ArmClient.ApiVersion}", TestContext.Current.CancellationToken);

        Assert.Equal(200, reader.Status);
        Assert.Equal($"{definitions}/{Reader}", reader.Body!["id"]!.GetValue<string>());
        Assert.Equal("*/read", reader.Body["properties"]!["permissions"]![0]!["actions"]![0]!.GetValue<string>());
        Assert.Equal(Reader, Assert.Single(byName.Body!["value"]!.AsArray())!["name"]!.GetValue<string>());
        Assert.Equal("RoleViewer Reader", Assert.Single(custom)["properties"]!["roleName"]!.GetValue<string>());
        Assert.True(all.Count >= 16 && pages >= 8);
        Assert.Equal((404, "RoleDefinitionDoesNotExist"), (unknown.Status, unknown.Body!["error"]!["code"]!.GetValue<string>()));
    }

    [Fact(Timeout = 30_000)]
    public async Task List_WhenPrincipalHasNoRole_Returns403AuthorizationFailedNamingClientActionAndScope()
    {
        var (status, body, _) = await new ArmClient(emulator, SeedIds.ReaderLessClientId).GetAsync($"{Assignments}?api-version={ArmClient.ApiVersion}", TestContext.Current.CancellationToken);

        Assert.Equal(403, status);
        Assert.Equal("AuthorizationFailed", body!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(
            $"The client '{SeedIds.ReaderLessObjectId}' with object id '{SeedIds.ReaderLessObjectId}' does not have authorization to perform action " +
            $"'Microsoft.Authorization/roleAssignments/read' over scope '{ArmClient.SubscriptionScope}' or the scope is invalid. If access was recently granted, please refresh your credentials.",
            body["error"]!["message"]!.GetValue<string>());
    }

    [Fact(Timeout = 30_000)]
    public async Task List_WhenCustomRoleIsRevokedFromApp_FailsWith403UntilGrantedAgain()
    {
        var op = Operator;
        var app = App;
        var assignment = $"{Assignments}/{RoleViewerReaderAssignment}?api-version={ArmClient.ApiVersion}";
        var original = (await op.GetAsync(assignment, TestContext.Current.CancellationToken)).Body!;

        var before = await app.GetAsync($"{Assignments}?api-version={ArmClient.ApiVersion}", TestContext.Current.CancellationToken);
        (int Status, JsonNode? Body, Response Raw) revoked, regranted;
        try
        {
            Assert.Equal(200, (await op.SendAsync(RequestMethod.Delete, assignment, null, TestContext.Current.CancellationToken)).Status);
            revoked = await app.GetAsync($"{Assignments}?api-version={ArmClient.ApiVersion}", TestContext.Current.CancellationToken);
        }
        finally
        {
            // Granted again whatever happened: the seeded assignment is what the other tests of this class list.
            regranted = await op.SendAsync(RequestMethod.Put, assignment, new
            {
                properties = new
                {
                    roleDefinitionId = original["properties"]!["roleDefinitionId"]!.GetValue<string>(),
                    principalId = SeedIds.ApiObjectId,
                    principalType = "ServicePrincipal",
                },
            }, TestContext.Current.CancellationToken);
        }

        var after = await app.GetAsync($"{Assignments}?api-version={ArmClient.ApiVersion}", TestContext.Current.CancellationToken);

        Assert.Equal(200, before.Status);
        Assert.Equal((403, "AuthorizationFailed"), (revoked.Status, revoked.Body!["error"]!["code"]!.GetValue<string>()));
        Assert.Equal(201, regranted.Status);
        Assert.Equal(200, after.Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task Call_WhenTokenExpired_Returns401ExpiredAuthenticationTokenWithChallenge()
    {
        var keys = emulator.Services.GetRequiredService<EntraSigningKeys>();
        var identity = emulator.Services.GetRequiredService<DirectoryStore>().FindByClientId(SeedIds.ApiClientId)!;
        var expired = keys.CreateAccessToken(new AccessTokenRequest(identity, SeedIds.TenantId, "https://management.azure.com/", TimeSpan.FromMinutes(-5)));

        var response = await SendRawAsync(expired, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("ExpiredAuthenticationToken", response.Code);
        Assert.Contains("error=\"invalid_token\"", response.Challenge, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Call_WhenTokenIsForAnotherAudience_Returns401InvalidAuthenticationTokenAudience()
    {
        var vaultToken = await ArmClient.GetTokenAsync(emulator, SeedIds.ApiClientId, "https://vault.azure.net", TestContext.Current.CancellationToken);

        var response = await SendRawAsync(vaultToken, TestContext.Current.CancellationToken);

        Assert.Equal((HttpStatusCode.Unauthorized, "InvalidAuthenticationTokenAudience"), (response.Status, response.Code));
        Assert.StartsWith("Bearer ", response.Challenge, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Call_WithAVersionRoleAssignmentsDoNotServe_Returns400InvalidResourceType()
    {
        var (status, body, _) = await App.GetAsync($"{Assignments}?api-version=2099-01-01", TestContext.Current.CancellationToken);

        Assert.Equal((400, "InvalidResourceType"), (status, body!["error"]!["code"]!.GetValue<string>()));
    }

    [Fact(Timeout = 30_000)]
    public async Task Call_WhenFaultInjectionAnswers503_ReturnsArmErrorWithRetryAfter()
    {
        using var admin = emulator.CreateClient();
        var token = await ArmClient.GetTokenAsync(emulator, SeedIds.ApiClientId, "https://management.azure.com/", TestContext.Current.CancellationToken);
        (await admin.PutAsJsonAsync("/admin/faults/arm", new { errorRates = new Dictionary<string, double> { ["503"] = 1 }, retryAfterSeconds = 2 }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        try
        {
            var response = await SendRawAsync(token, TestContext.Current.CancellationToken);

            Assert.Equal((HttpStatusCode.ServiceUnavailable, "ServiceUnavailable"), (response.Status, response.Code));
            Assert.Equal("2", response.RetryAfter);
        }
        finally
        {
            (await admin.DeleteAsync(new Uri("/admin/faults/arm", UriKind.Relative), TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Counters_AfterCalls_CountArmCallsByOperationCallerAndOutcome()
    {
        await App.GetAsync($"{Assignments}?api-version={ArmClient.ApiVersion}", TestContext.Current.CancellationToken);
        await new ArmClient(emulator, SeedIds.ReaderLessClientId).GetAsync($"{Assignments}?api-version={ArmClient.ApiVersion}", TestContext.Current.CancellationToken);

        var counters = await emulator.GetCountersAsync(TestContext.Current.CancellationToken);

        Assert.Contains(counters.ArmCalls, c => c is { Operation: "roleAssignments.list", Outcome: "success" } && c.Caller == SeedIds.ApiObjectId && c.Count >= 1);
        Assert.Contains(counters.ArmCalls, c => c is { Operation: "roleAssignments.list", Outcome: "AuthorizationFailed" } && c.Caller == SeedIds.ReaderLessObjectId);
    }

    private async Task<(HttpStatusCode Status, string Code, string? Challenge, string? RetryAfter)> SendRawAsync(string token, CancellationToken ct)
    {
        using var http = emulator.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Assignments}?api-version={ArmClient.ApiVersion}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, ct);
        var body = await response.Content.ReadFromJsonAsync<JsonNode>(ct);
        return (response.StatusCode, body!["error"]!["code"]!.GetValue<string>(),
            response.Headers.WwwAuthenticate.FirstOrDefault()?.ToString(),
            response.Headers.TryGetValues("Retry-After", out var retry) ? retry.First() : null);
    }
}
