extern alias web;
using System.Net.Sockets;
using Azure.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using web::RoleViewer.Web.ApiClients;

namespace RoleViewer.Api.Tests;

/// <summary>
/// One contract: every response shape the Api can produce, produced by the real Api (stub ARM and credential only),
/// goes through the Web's own client. The Web compiles the Api's Contracts/ files, so a shape the client cannot read
/// (as `upstreamError.status: null` once was) fails here.
/// </summary>
public sealed class ContractTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private RoleViewerApiClient WebClient() =>
        new(_factory.CreateClient(), Options.Create(new ApiOptions { Timeout = TimeSpan.FromSeconds(30) }), NullLogger<RoleViewerApiClient>.Instance);

    public static TheoryData<string, int?, string> StaleCases() => new()
    {
        { "429", 429, "TooManyRequests" },
        { "500", 500, "InternalServerError" },
        { "503", 503, "ServiceUnavailable" },
        { "unreachable", null, "ConnectionFailed" },
        { "timeout", null, "Timeout" },
        { "AADSTS", null, "AADSTS700213" },
    };

    [Fact(Timeout = 30_000)]
    public async Task Ok_ListReadsThroughTheWebClient()
    {
        var result = await WebClient().GetRoleAssignmentsAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Null(result.Failure);
        Assert.False(result.Value!.Stale);
        Assert.Null(result.Value.UpstreamError);
        Assert.Equal("RoleViewer Reader", Assert.Single(result.Value.Items).RoleName);
    }

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(StaleCases))]
    public async Task Stale_WithEachUpstreamCode_ReadsThroughTheWebClient(string upstream, int? status, string code)
    {
        var client = WebClient();
        await client.GetRoleAssignmentsAsync(cancellationToken: TestContext.Current.CancellationToken);
        _factory.Arm.OnListing = _ => Fail(upstream);
        _factory.Time.Advance(TimeSpan.FromSeconds(11));

        var result = await client.GetRoleAssignmentsAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Null(result.Failure);
        Assert.True(result.Value!.Stale);
        Assert.Equal(status, result.Value.UpstreamError!.Status);
        Assert.Equal(code, result.Value.UpstreamError.Code);
        Assert.Single(result.Value.Items);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stale_WhileArmHangs_RefreshPendingWithNullStatusReadsThroughTheWebClient()
    {
        var client = WebClient();
        await client.GetRoleAssignmentsAsync(cancellationToken: TestContext.Current.CancellationToken);
        var hang = new TaskCompletionSource<HttpResponseMessage>();
        _factory.Arm.OnListing = _ => hang.Task;
        _factory.Time.Advance(TimeSpan.FromSeconds(11));

        var call = client.GetRoleAssignmentsAsync(cancellationToken: TestContext.Current.CancellationToken);
        while (!call.IsCompleted)
        {
            // The Api waits StaleAfter on the fake clock before serving the last good list.
            _factory.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var result = await call;
        hang.SetResult(StubArm.Json(HttpStatusCode.OK, new { value = _factory.Arm.Assignments.ToArray() }));
        Assert.True(result.Value!.Stale);
        Assert.Null(result.Value.UpstreamError!.Status);
        Assert.Equal("RefreshPending", result.Value.UpstreamError.Code);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("503", 503, 503)]
    [InlineData("429", 503, 429)]
    [InlineData("403", 502, 403)]
    [InlineData("timeout", 504, null)]
    public async Task Problem_WithNothingCached_ReadsAsProblemThroughTheWebClient(string upstream, int expectedStatus, int? upstreamStatus)
    {
        _factory.Arm.OnListing = _ => Fail(upstream);

        var result = await WebClient().GetRoleAssignmentsAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Null(result.Value);
        Assert.Equal(ApiFailureKind.Problem, result.Failure!.Kind);
        Assert.Equal(expectedStatus, result.Failure.Status);
        Assert.Equal(upstreamStatus, result.Failure.Problem!.UpstreamStatus);
        Assert.NotNull(result.Failure.Problem.UpstreamCode);
        Assert.NotNull(result.Failure.Problem.TraceId);
    }

    [Fact(Timeout = 30_000)]
    public async Task Problem_429_ForcedRefreshRateLimited_ReadsThroughTheWebClient()
    {
        var client = WebClient();
        await client.GetRoleAssignmentsAsync(refresh: true, TestContext.Current.CancellationToken);

        var result = await client.GetRoleAssignmentsAsync(refresh: true, TestContext.Current.CancellationToken);

        Assert.Equal(ApiFailureKind.Problem, result.Failure!.Kind);
        Assert.Equal(429, result.Failure.Status);
        Assert.Null(result.Failure.Problem!.UpstreamStatus);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("ok")]
    [InlineData("warn")]
    [InlineData("fail")]
    public async Task IdentityReport_EachOverall_ReadsThroughTheWebClient(string overall)
    {
        if (overall == "warn")
        {
            _factory.Arm.Assignments.Clear();
        }
        else if (overall == "fail")
        {
            _factory.Credential.Failure = Aadsts();
        }

        var result = await WebClient().GetIdentityAsync(probe: true, TestContext.Current.CancellationToken);

        Assert.Null(result.Failure);
        Assert.Equal(overall, result.Value!.Overall);
        Assert.Contains(result.Value.Checks, c => c.Status == overall);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PodFacts_WithAndWithoutLimits_ReadThroughTheWebClient(bool limited)
    {
        File.WriteAllText(Path.Combine(_factory.Root, "self-cgroup"), "0::/\n");
        File.WriteAllText(Path.Combine(_factory.Root, "memory.max"), limited ? "268435456\n" : "max\n");
        File.WriteAllText(Path.Combine(_factory.Root, "cpu.max"), limited ? "50000 100000\n" : "max 100000\n");

        var result = await WebClient().GetPodAsync(TestContext.Current.CancellationToken);

        Assert.Null(result.Failure);
        Assert.Equal(limited ? 268435456 : null, result.Value!.MemoryLimitBytes);
        Assert.Equal(limited ? 0.5 : null, result.Value.CpuLimit);
    }

    private static AuthenticationFailedException Aadsts() =>
        new("ClientAssertionCredential authentication failed: AADSTS700213: No matching federated identity record found for presented assertion subject.",
            new MsalServiceException("invalid_client", "AADSTS700213: No matching federated identity record found for presented assertion subject."));

    private static Task<HttpResponseMessage> Fail(string upstream) => upstream switch
    {
        "429" => Task.FromResult(WithRetryAfter(StubArm.ArmError(HttpStatusCode.TooManyRequests, "TooManyRequests", "Throttled."))),
        "500" => Task.FromResult(StubArm.ArmError(HttpStatusCode.InternalServerError, "InternalServerError", "ARM failed.")),
        "503" => Task.FromResult(StubArm.ArmError(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "ARM is unavailable.")),
        "403" => Task.FromResult(StubArm.ArmError(HttpStatusCode.Forbidden, "AuthorizationFailed", "No roleAssignments/read.")),
        "unreachable" => Task.FromException<HttpResponseMessage>(new HttpRequestException("Connection refused (arm.test:443)", new SocketException((int)SocketError.ConnectionRefused))),
        "timeout" => Task.FromException<HttpResponseMessage>(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout.", new TimeoutException())),
        "AADSTS" => Task.FromException<HttpResponseMessage>(Aadsts()),
        _ => throw new ArgumentOutOfRangeException(nameof(upstream)),
    };

    private static HttpResponseMessage WithRetryAfter(HttpResponseMessage response)
    {
        response.Headers.RetryAfter = new(TimeSpan.FromSeconds(30));
        return response;
    }
}
