using Microsoft.Extensions.Time.Testing;

namespace RoleViewer.Api.Tests.Emulator;

/// <summary>
/// The API against the real AzureEmulator: real WorkloadIdentityCredential, token exchange and ARM over TLS.
/// Tests in this class share one emulator and run one after another; each restores what it changes.
/// </summary>
public sealed class EmulatorIntegrationTests(EmulatorHost emulator) : IClassFixture<EmulatorHost>
{
    private static readonly string ReaderRoleId = SeedIds.ReaderRoleId;

    private static JsonElement Check(JsonElement identity, string id) =>
        identity.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    private static async Task<List<string?>> RoleNamesAsync(HttpClient api, string url, CancellationToken cancellationToken)
    {
        var body = await api.GetFromJsonAsync<JsonElement>(url, cancellationToken);
        return [.. body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("roleName").GetString())];
    }

    [Fact(Timeout = 60_000)]
    public async Task GetRoleAssignments_AgainstEmulator_ListsSeededRoleAndFollowsGrantAndRevoke()
    {
        var ct = TestContext.Current.CancellationToken;
        // A fake clock that does not move: a forced refresh waits for ARM instead of serving the old list after a real
        // StaleAfter (2 s), which a loaded machine can exceed.
        await using var factory = new EmulatorApiFactory(emulator, s => s["RoleAssignments:RefreshRateLimit"] = "00:00:00", new FakeTimeProvider(DateTimeOffset.UtcNow));
        var api = factory.CreateClient();

        var before = await RoleNamesAsync(api, "/api/role-assignments", ct);
        Assert.Contains("RoleViewer Reader", before);
        Assert.DoesNotContain("Reader", before);

        var name = Guid.NewGuid().ToString();
        var path = $"{EmulatorHost.SubscriptionScope}/providers/Microsoft.Authorization/roleAssignments/{name}";
        try
        {
            using (var grant = await emulator.ArmAsOperatorAsync(HttpMethod.Put, path, new
            {
                properties = new
                {
                    roleDefinitionId = $"{EmulatorHost.SubscriptionScope}/providers/Microsoft.Authorization/roleDefinitions/{ReaderRoleId}",
                    principalId = TestIds.ObjectId,
                    principalType = "ServicePrincipal",
                },
            }, ct))
            {
                Assert.True(grant.IsSuccessStatusCode, await grant.Content.ReadAsStringAsync(ct));
            }

            Assert.Contains("Reader", await RoleNamesAsync(api, "/api/role-assignments?refresh=true", ct));
        }
        finally
        {
            // Through ARM, whatever happened above: the other tests of this class expect the seeded assignments only.
            using var revoke = await emulator.ArmAsOperatorAsync(HttpMethod.Delete, path, null, ct);
            Assert.True(revoke.IsSuccessStatusCode, await revoke.Content.ReadAsStringAsync(ct));
        }

        Assert.DoesNotContain("Reader", await RoleNamesAsync(api, "/api/role-assignments?refresh=true", ct));
    }

    [Fact(Timeout = 60_000)]
    public async Task RoleAssignmentsAndIdentity_AgainstEmulator_ListingUsesOneTokenExchangeAndTheDoctorOneProbePerInterval()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new EmulatorApiFactory(emulator);
        var api = factory.CreateClient();
        Task<long> ExchangesAsync() => emulator.CountAsync("tokenExchanges", c => c.GetProperty("clientId").GetString() == TestIds.ClientId, ct);
        var exchangesBefore = await ExchangesAsync();

        await api.GetFromJsonAsync<JsonElement>("/api/role-assignments", ct);
        await api.GetFromJsonAsync<JsonElement>("/api/role-assignments?refresh=true", ct);
        var listingExchanges = await ExchangesAsync() - exchangesBefore;
        var identity = await api.GetFromJsonAsync<JsonElement>("/api/identity", ct);
        await api.GetFromJsonAsync<JsonElement>("/api/identity", ct);
        await api.GetFromJsonAsync<JsonElement>("/api/role-assignments", ct);

        Assert.Equal(1, listingExchanges);
        Assert.Equal(2, await ExchangesAsync() - exchangesBefore);
        Assert.Equal("ok", identity.GetProperty("overall").GetString());
        Assert.Equal(TestIds.ObjectId, identity.GetProperty("principalObjectId").GetString());
        Assert.Equal("system:serviceaccount:roleviewer:roleviewer-api", identity.GetProperty("projectedToken").GetProperty("subject").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task FederationBrokenAfterAListing_AgainstEmulator_DoctorFailsWithAadsts700213AtTheNextProbe()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new EmulatorApiFactory(emulator);
        var api = factory.CreateClient();
        using var listed = await api.GetAsync("/api/role-assignments", ct);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);

        await emulator.SetFederatedSubjectAsync("system:serviceaccount:roleviewer:another-sa", ct);
        try
        {
            // The access token from the listing is still cached and valid: only the probe's fresh exchange sees the break.
            var identity = await api.GetFromJsonAsync<JsonElement>("/api/identity", ct);
            using var stillListed = await api.GetAsync("/api/role-assignments?refresh=true", ct);

            Assert.Equal(HttpStatusCode.OK, stillListed.StatusCode);
            var exchange = Check(identity, "tokenExchange");
            Assert.Equal("fail", exchange.GetProperty("status").GetString());
            Assert.StartsWith("AADSTS700213", exchange.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains("the pod presented 'system:serviceaccount:roleviewer:roleviewer-api'", exchange.GetProperty("fix").GetString(), StringComparison.Ordinal);
            Assert.Equal("AADSTS700213", identity.GetProperty("lastExchange").GetProperty("errorCode").GetString());
        }
        finally
        {
            await emulator.SetFederatedSubjectAsync("system:serviceaccount:roleviewer:roleviewer-api", ct);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task MissingTokenFile_AgainstEmulator_DoctorFailsTokenFileAndListingIsAProblem()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new EmulatorApiFactory(emulator, s => s["AZURE_FEDERATED_TOKEN_FILE"] = Path.Combine(emulator.StateDirectory, "no-such-token"));
        var api = factory.CreateClient();

        var response = await api.GetAsync("/api/role-assignments", ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        var identity = await api.GetFromJsonAsync<JsonElement>("/api/identity", ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("TokenFileUnreadable", problem.GetProperty("upstreamCode").GetString());
        Assert.Equal("fail", Check(identity, "tokenFile").GetProperty("status").GetString());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("AZURE_CLIENT_ID")]
    [InlineData("AZURE_TENANT_ID")]
    [InlineData("AZURE_FEDERATED_TOKEN_FILE")]
    public async Task WebhookVariableRemoved_AgainstEmulator_DoctorNamesItAndListingIsAProblem(string variable)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new EmulatorApiFactory(emulator, s => s[variable] = "");
        var api = factory.CreateClient();

        var response = await api.GetAsync("/api/role-assignments", ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        var identity = await api.GetFromJsonAsync<JsonElement>("/api/identity", ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("CredentialUnavailable", problem.GetProperty("upstreamCode").GetString());
        Assert.Contains(variable, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("fail", Check(identity, "env." + variable).GetProperty("status").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task CustomRoleRevoked_AgainstEmulator_Answers403ProblemAndDoctorNamesTheRole()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (await emulator.RevokeSeededRoleViewerReaderAsync(ct))
        {
            await using var factory = new EmulatorApiFactory(emulator);
            var api = factory.CreateClient();

            var response = await api.GetAsync("/api/role-assignments", ct);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            var identity = await api.GetFromJsonAsync<JsonElement>("/api/identity", ct);

            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Equal(403, problem.GetProperty("upstreamStatus").GetInt32());
            Assert.Equal("AuthorizationFailed", problem.GetProperty("upstreamCode").GetString());
            var arm = Check(identity, "armAuthorization");
            Assert.Equal("fail", arm.GetProperty("status").GetString());
            Assert.Contains("RoleViewer Reader", arm.GetProperty("fix").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory(Timeout = 60_000)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task ArmFaults_AgainstEmulator_ServeTheLastGoodListAsStaleThenRecover(int status)
    {
        var ct = TestContext.Current.CancellationToken;
        // The API's clock is fake: the TTL (10 s), StaleAfter (2 s) and failure backoff (1 s) pass only when the test
        // says so, never because a loaded machine was slow.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new EmulatorApiFactory(emulator, s => s["Arm:MaxRetries"] = "0", time);
        var api = factory.CreateClient();
        var good = await api.GetFromJsonAsync<JsonElement>("/api/role-assignments", ct);
        Assert.False(good.GetProperty("stale").GetBoolean());

        await emulator.PutFaultsAsync("arm", new { errorRates = new Dictionary<string, double> { [$"{status}"] = 1.0 }, retryAfterSeconds = 0 }, ct);
        try
        {
            time.Advance(TimeSpan.FromSeconds(11));
            var stale = await api.GetFromJsonAsync<JsonElement>("/api/role-assignments", ct);

            Assert.True(stale.GetProperty("stale").GetBoolean());
            Assert.Equal(status, stale.GetProperty("upstreamError").GetProperty("status").GetInt32());
            Assert.Equal(good.GetProperty("items").GetArrayLength(), stale.GetProperty("items").GetArrayLength());
        }
        finally
        {
            await emulator.ClearFaultsAsync("arm", ct);
        }

        time.Advance(TimeSpan.FromSeconds(1));
        var recovered = await api.GetFromJsonAsync<JsonElement>("/api/role-assignments", ct);
        Assert.False(recovered.GetProperty("stale").GetBoolean());
    }
}
