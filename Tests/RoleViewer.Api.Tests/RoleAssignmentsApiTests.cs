using Azure.Identity;
using Microsoft.Identity.Client;

namespace RoleViewer.Api.Tests;

public sealed class RoleAssignmentsApiTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact(Timeout = 30_000)]
    public async Task GetRoleAssignments_WhenArmAnswers_ReturnsAssignmentsWithRoleNamesAndScopeParts()
    {
        _factory.Arm.Assignments.Add(StubArm.Assignment(TestIds.ReaderRoleId,
            $"/subscriptions/{TestIds.SubscriptionId}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp"));
        var client = _factory.CreateClient();

        var body = await client.GetFromJsonAsync<JsonElement>("/api/role-assignments", TestContext.Current.CancellationToken);

        Assert.Equal(TestIds.ObjectId, body.GetProperty("principal").GetProperty("objectId").GetString());
        Assert.Equal(TestIds.ClientId, body.GetProperty("principal").GetProperty("clientId").GetString());
        Assert.Equal(TestIds.SubscriptionId, body.GetProperty("subscriptionId").GetString());
        Assert.False(body.GetProperty("stale").GetBoolean());
        var items = body.GetProperty("items").EnumerateArray().ToList();
        var custom = items.Single(i => i.GetProperty("roleName").GetString() == "RoleViewer Reader");
        Assert.Equal("CustomRole", custom.GetProperty("roleType").GetString());
        Assert.Equal("subscription", custom.GetProperty("scopeKind").GetString());
        var reader = items.Single(i => i.GetProperty("roleName").GetString() == "Reader");
        Assert.Equal("BuiltInRole", reader.GetProperty("roleType").GetString());
        Assert.Equal("resource", reader.GetProperty("scopeKind").GetString());
        Assert.Equal("rg-app", reader.GetProperty("resourceGroup").GetString());
        Assert.Equal("Microsoft.Storage/storageAccounts", reader.GetProperty("resourceType").GetString());
        Assert.Equal("stapp", reader.GetProperty("resourceName").GetString());
        var listing = _factory.Arm.Requests.First(u => u.AbsolutePath.EndsWith("/roleAssignments", StringComparison.Ordinal));
        Assert.Contains($"assignedTo('{TestIds.ObjectId}')", Uri.UnescapeDataString(listing.Query), StringComparison.Ordinal);
        Assert.Contains("api-version=2022-04-01", listing.Query, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetRoleAssignments_WhenCalledAgainWithinTtl_ServesCacheWithoutCallingArm()
    {
        var client = _factory.CreateClient();

        await client.GetFromJsonAsync<JsonElement>("/api/role-assignments", TestContext.Current.CancellationToken);
        var tokenRequests = _factory.Credential.Calls;
        _factory.Time.Advance(TimeSpan.FromSeconds(5));
        var second = await client.GetFromJsonAsync<JsonElement>("/api/role-assignments", TestContext.Current.CancellationToken);

        Assert.Equal(1, _factory.Arm.Listings);
        Assert.Equal(5, second.GetProperty("ageSeconds").GetDouble(), precision: 1);
        Assert.Equal(tokenRequests, _factory.Credential.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetRoleAssignments_WhenTtlExpired_ListsAgainAndShowsNewAssignment()
    {
        var client = _factory.CreateClient();
        await client.GetFromJsonAsync<JsonElement>("/api/role-assignments", TestContext.Current.CancellationToken);
        _factory.Arm.Assignments.Add(StubArm.Assignment(TestIds.ReaderRoleId, $"/subscriptions/{TestIds.SubscriptionId}"));

        _factory.Time.Advance(TimeSpan.FromSeconds(11));
        var body = await client.GetFromJsonAsync<JsonElement>("/api/role-assignments", TestContext.Current.CancellationToken);

        Assert.Equal(2, _factory.Arm.Listings);
        Assert.Equal(2, body.GetProperty("items").GetArrayLength());
    }

    [Fact(Timeout = 30_000)]
    public async Task GetRoleAssignments_WhenManyRequestsArriveTogether_ListsOnce()
    {
        var release = new TaskCompletionSource();
        _factory.Arm.OnListing = async _ =>
        {
            await release.Task;
            return StubArm.Json(HttpStatusCode.OK, new { value = _factory.Arm.Assignments.ToArray() });
        };
        var client = _factory.CreateClient();

        var requests = Enumerable.Range(0, 20).Select(_ => client.GetAsync("/api/role-assignments", TestContext.Current.CancellationToken)).ToList();
        while (_factory.Arm.Listings == 0)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        release.SetResult();
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, _factory.Arm.Listings);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable")]
    [InlineData(HttpStatusCode.TooManyRequests, "SubscriptionRequestsThrottled")]
    public async Task GetRoleAssignments_WhenArmFailsAfterAGoodList_ServesStaleListAndRecovers(HttpStatusCode status, string code)
    {
        var client = _factory.CreateClient();
        await client.GetFromJsonAsync<JsonElement>("/api/role-assignments", TestContext.Current.CancellationToken);

        _factory.Arm.OnListing = _ => Task.FromResult(StubArm.ArmError(status, code, "ARM is having a bad day."));
        _factory.Time.Advance(TimeSpan.FromSeconds(11));
        var stale = await client.GetFromJsonAsync<JsonElement>("/api/role-assignments", TestContext.Current.CancellationToken);

        Assert.True(stale.GetProperty("stale").GetBoolean());
        Assert.Equal(11, stale.GetProperty("ageSeconds").GetDouble(), precision: 1);
        Assert.Equal((int)status, stale.GetProperty("upstreamError").GetProperty("status").GetInt32());
        Assert.Equal(code, stale.GetProperty("upstreamError").GetProperty("code").GetString());
        Assert.Single(stale.GetProperty("items").EnumerateArray());

        _factory.Arm.OnListing = null;
        _factory.Time.Advance(TimeSpan.FromSeconds(2));
        var recovered = await client.GetFromJsonAsync<JsonElement>("/api/role-assignments", TestContext.Current.CancellationToken);

        Assert.False(recovered.GetProperty("stale").GetBoolean());
        Assert.Equal(JsonValueKind.Null, recovered.GetProperty("upstreamError").ValueKind);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetRoleAssignments_WhenArmReturns403_ReturnsBadGatewayProblemWithUpstreamCode()
    {
        _factory.Arm.OnListing = _ => Task.FromResult(StubArm.ArmError(HttpStatusCode.Forbidden, "AuthorizationFailed",
            "The client does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/read'."));
        var client = _factory.CreateClient();

        var response = await client.GetAsync("/api/role-assignments", TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(403, problem.GetProperty("upstreamStatus").GetInt32());
        Assert.Equal("AuthorizationFailed", problem.GetProperty("upstreamCode").GetString());
        Assert.Contains("RoleViewer Reader", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(TestIds.ObjectId, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
    }

    [Fact(Timeout = 30_000)]
    public async Task GetRoleAssignments_WhenTokenExchangeFailsWithAadsts700213_ReturnsProblemNamingThePresentedSubject()
    {
        File.WriteAllText(_factory.TokenFile, TestJwt.ServiceAccountToken("system:serviceaccount:roleviewer:wrong-sa"));
        _factory.Credential.Failure = new AuthenticationFailedException("ClientAssertionCredential authentication failed: AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:roleviewer:wrong-sa'.",
            new MsalServiceException("invalid_client", "AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:roleviewer:wrong-sa'."));
        var client = _factory.CreateClient();

        var response = await client.GetAsync("/api/role-assignments", TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("AADSTS700213", problem.GetProperty("upstreamCode").GetString());
        Assert.Contains("system:serviceaccount:roleviewer:wrong-sa", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _factory.Arm.Listings);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetRoleAssignments_WhenRefreshForcedTwiceQuickly_RateLimitsTheSecond()
    {
        var client = _factory.CreateClient();

        var first = await client.GetAsync("/api/role-assignments?refresh=true", TestContext.Current.CancellationToken);
        var second = await client.GetAsync("/api/role-assignments?refresh=true", TestContext.Current.CancellationToken);
        _factory.Time.Advance(TimeSpan.FromSeconds(6));
        var third = await client.GetAsync("/api/role-assignments?refresh=true", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(2, _factory.Arm.Listings);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetRoleAssignments_WhenSubscriptionMissing_ReturnsServiceUnavailableProblem()
    {
        _factory.Settings["AZURE_SUBSCRIPTION_ID"] = "";
        var client = _factory.CreateClient();

        var response = await client.GetAsync("/api/role-assignments", TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("SubscriptionNotConfigured", problem.GetProperty("upstreamCode").GetString());
    }
}
