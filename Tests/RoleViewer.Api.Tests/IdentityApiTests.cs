using Azure.Identity;
using Microsoft.Identity.Client;

namespace RoleViewer.Api.Tests;

public sealed class IdentityApiTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private async Task<(JsonElement Body, string Raw)> GetIdentityAsync(CancellationToken cancellationToken)
    {
        var response = await _factory.CreateClient().GetAsync("/api/identity", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync(cancellationToken);
        return (JsonDocument.Parse(raw).RootElement, raw);
    }

    private static JsonElement Check(JsonElement body, string id) =>
        body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    [Fact(Timeout = 30_000)]
    public async Task GetIdentity_WhenEverythingWorks_ReportsOkAndNeverTheTokens()
    {
        var (body, raw) = await GetIdentityAsync(TestContext.Current.CancellationToken);

        Assert.Equal("ok", body.GetProperty("overall").GetString());
        Assert.Equal(TestIds.ObjectId, body.GetProperty("principalObjectId").GetString());
        Assert.Equal("system:serviceaccount:roleviewer:roleviewer-api", body.GetProperty("projectedToken").GetProperty("subject").GetString());
        Assert.True(body.GetProperty("lastExchange").GetProperty("succeeded").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("accessTokenExpiresOn").ValueKind);
        Assert.All(body.GetProperty("checks").EnumerateArray(), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("fix").ValueKind));
        Assert.DoesNotContain(_factory.Credential.Token, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllText(_factory.TokenFile), raw, StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("AZURE_CLIENT_ID")]
    [InlineData("AZURE_TENANT_ID")]
    [InlineData("AZURE_FEDERATED_TOKEN_FILE")]
    [InlineData("AZURE_SUBSCRIPTION_ID")]
    public async Task GetIdentity_WhenWebhookVariableMissing_FailsThatCheckWithAFix(string variable)
    {
        _factory.Settings[variable] = "";

        var (body, _) = await GetIdentityAsync(TestContext.Current.CancellationToken);

        var check = Check(body, "env." + variable);
        Assert.Equal("fail", check.GetProperty("status").GetString());
        Assert.Contains(variable, check.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(check.GetProperty("fix").GetString()));
        Assert.Equal("fail", body.GetProperty("overall").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task GetIdentity_WhenAuthorityHostMissing_WarnsThatThePublicCloudIsUsed()
    {
        _factory.Settings["AZURE_AUTHORITY_HOST"] = "";

        var (body, _) = await GetIdentityAsync(TestContext.Current.CancellationToken);

        var check = Check(body, "env.AZURE_AUTHORITY_HOST");
        Assert.Equal("warn", check.GetProperty("status").GetString());
        Assert.Contains("login.microsoftonline.com", check.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetIdentity_WhenTokenFileMissing_FailsTokenFileCheck()
    {
        File.Delete(_factory.TokenFile);

        var (body, _) = await GetIdentityAsync(TestContext.Current.CancellationToken);

        var check = Check(body, "tokenFile");
        Assert.Equal("fail", check.GetProperty("status").GetString());
        Assert.Contains("does not exist", check.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("azure.workload.identity/use", check.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("projectedToken").ValueKind);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetIdentity_WhenProjectedTokenExpired_FailsProjectedTokenCheck()
    {
        File.WriteAllText(_factory.TokenFile, TestJwt.ServiceAccountToken(expires: DateTimeOffset.UtcNow.AddHours(-1)));

        var (body, _) = await GetIdentityAsync(TestContext.Current.CancellationToken);

        var check = Check(body, "projectedToken");
        Assert.Equal("fail", check.GetProperty("status").GetString());
        Assert.Contains("AADSTS700024", check.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetIdentity_WhenServiceAccountNameIsWrong_ExplainsAadsts700213WithThePresentedSubject()
    {
        File.WriteAllText(_factory.TokenFile, TestJwt.ServiceAccountToken("system:serviceaccount:roleviewer:wrong-sa"));
        _factory.Credential.Failure = new AuthenticationFailedException("ClientAssertionCredential authentication failed",
            new MsalServiceException("invalid_client", "AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:roleviewer:wrong-sa'."));

        var (body, _) = await GetIdentityAsync(TestContext.Current.CancellationToken);

        var exchange = Check(body, "tokenExchange");
        Assert.Equal("fail", exchange.GetProperty("status").GetString());
        Assert.StartsWith("AADSTS700213", exchange.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var fix = exchange.GetProperty("fix").GetString();
        Assert.Contains("system:serviceaccount:<namespace>:<service account>", fix, StringComparison.Ordinal);
        Assert.Contains("the pod presented 'system:serviceaccount:roleviewer:wrong-sa'", fix, StringComparison.Ordinal);
        Assert.Equal("AADSTS700213", body.GetProperty("lastExchange").GetProperty("errorCode").GetString());
        Assert.False(body.GetProperty("lastExchange").GetProperty("succeeded").GetBoolean());
    }

    [Fact(Timeout = 30_000)]
    public async Task GetIdentity_WhenExchangeFailedMomentsAgo_ReportsItWithoutAskingEntraAgain()
    {
        _factory.Credential.Failure = new AuthenticationFailedException("ClientAssertionCredential authentication failed",
            new MsalServiceException("invalid_client", "AADSTS700016: Application with identifier was not found in the directory."));
        var first = await GetIdentityAsync(TestContext.Current.CancellationToken);
        var calls = _factory.Credential.Calls;

        var second = await GetIdentityAsync(TestContext.Current.CancellationToken);
        _factory.Time.Advance(TimeSpan.FromSeconds(6));
        await GetIdentityAsync(TestContext.Current.CancellationToken);

        Assert.Equal("fail", Check(first.Body, "tokenExchange").GetProperty("status").GetString());
        Assert.StartsWith("AADSTS700016", Check(second.Body, "tokenExchange").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(calls + 1, _factory.Credential.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetIdentity_WhenArmRefuses403_FailsArmAuthorizationAndNamesTheRoleToGrant()
    {
        _factory.Arm.OnListing = _ => Task.FromResult(StubArm.ArmError(HttpStatusCode.Forbidden, "AuthorizationFailed", "No authorization."));

        var (body, _) = await GetIdentityAsync(TestContext.Current.CancellationToken);

        var check = Check(body, "armAuthorization");
        Assert.Equal("fail", check.GetProperty("status").GetString());
        Assert.Contains("AuthorizationFailed", check.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("RoleViewer Reader", check.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Equal("ok", Check(body, "tokenExchange").GetProperty("status").GetString());
    }
}
