using System.Diagnostics;
using System.Net.Http.Headers;
using RoleViewer.Api.RoleAssignments;

namespace RoleViewer.Api.Tests;

/// <summary>
/// Every branch of RoleAssignmentsService's stale/refresh logic, driven by the API's fake clock and an ARM stub that
/// hangs, answers slowly (on the fake clock), throttles with Retry-After or fails with a 5xx. CacheTtl is 10 s,
/// StaleAfter 2 s and FailureBackoff 1 s (the defaults); no test waits for them in real time.
/// </summary>
public sealed class RoleAssignmentsRefreshTests : IDisposable
{
    private const string Url = "/api/role-assignments";
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static string? PendingOrErrorCode(JsonElement body) =>
        body.GetProperty("upstreamError").ValueKind == JsonValueKind.Null ? null : body.GetProperty("upstreamError").GetProperty("code").GetString();

    /// <summary>A good list is cached, then the TTL has passed: the next request refreshes.</summary>
    private async Task<HttpClient> ClientWithAGoodListPastItsTtlAsync()
    {
        var client = _factory.CreateClient();
        var good = await BodyAsync(await client.GetAsync(Url, Ct));
        Assert.False(good.GetProperty("stale").GetBoolean());
        Assert.Equal(1, _factory.Arm.Listings);
        _factory.Time.Advance(Ttl + TimeSpan.FromSeconds(1));
        return client;
    }

    private async Task WaitForListingsAsync(int count)
    {
        while (_factory.Arm.Listings < count)
        {
            await Task.Delay(10, Ct);
        }
    }

    /// <summary>
    /// Steps the fake clock until the request answers. The API arms its StaleAfter timer at an instant the test cannot
    /// see, so the clock moves in small steps rather than one jump that could come before the timer exists.
    /// </summary>
    private async Task<HttpResponseMessage> AdvanceUntilAnsweredAsync(Task<HttpResponseMessage> request)
    {
        while (!request.IsCompleted)
        {
            _factory.Time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.WhenAny(request, Task.Delay(20, Ct));
        }

        return await request;
    }

    /// <summary>ARM holds every listing until the returned source is set, then answers with the current assignments.</summary>
    private TaskCompletionSource ArmAnswersWhenReleased()
    {
        var release = new TaskCompletionSource();
        _factory.Arm.OnListing = async _ =>
        {
            await release.Task;
            return StubArm.Json(HttpStatusCode.OK, new { value = _factory.Arm.Assignments.ToArray() });
        };
        return release;
    }

    /// <summary>
    /// ARM answers each listing after <paramref name="delay"/> on the fake clock; the returned task completes once that
    /// delay exists, the moment from which advancing the clock ends it.
    /// </summary>
    private Task ArmAnswersAfterOnTheFakeClock(TimeSpan delay)
    {
        var armAnswerArmed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _factory.Arm.OnListing = async _ =>
        {
            var answerDue = Task.Delay(delay, _factory.Time);
            armAnswerArmed.TrySetResult();
            await answerDue;
            return StubArm.Json(HttpStatusCode.OK, new { value = _factory.Arm.Assignments.ToArray() });
        };
        return armAnswerArmed.Task;
    }

    [Fact(Timeout = 60_000)]
    public async Task GetRoleAssignments_WhenArmHangsAfterAGoodList_ServesItAsRefreshPendingAndJoinsTheOneRefresh()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await ClientWithAGoodListPastItsTtlAsync();
        var release = ArmAnswersWhenReleased();

        var first = await BodyAsync(await AdvanceUntilAnsweredAsync(client.GetAsync(Url, ct)));
        var second = await BodyAsync(await AdvanceUntilAnsweredAsync(client.GetAsync(Url, ct)));

        Assert.True(first.GetProperty("stale").GetBoolean());
        Assert.Equal(RoleAssignmentsService.RefreshPendingCode, PendingOrErrorCode(first));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("upstreamError").GetProperty("status").ValueKind);
        Assert.Single(first.GetProperty("items").EnumerateArray());
        Assert.Equal(RoleAssignmentsService.RefreshPendingCode, PendingOrErrorCode(second));
        Assert.Equal(2, _factory.Arm.Listings);

        _factory.Arm.Assignments.Add(StubArm.Assignment(TestIds.ReaderRoleId, $"/subscriptions/{TestIds.SubscriptionId}"));
        release.SetResult();
        var answered = await BodyAsync(await client.GetAsync(Url, ct));

        Assert.False(answered.GetProperty("stale").GetBoolean());
        Assert.Equal(2, answered.GetProperty("items").GetArrayLength());
        Assert.Equal(2, _factory.Arm.Listings);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetRoleAssignments_WhenArmIsSlowerThanStaleAfter_ServesRefreshPendingThenTheNewListOnceArmAnswers()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await ClientWithAGoodListPastItsTtlAsync();
        var armAnswerArmed = ArmAnswersAfterOnTheFakeClock(TimeSpan.FromSeconds(30));
        _factory.Arm.Assignments.Add(StubArm.Assignment(TestIds.ReaderRoleId, $"/subscriptions/{TestIds.SubscriptionId}"));

        var pending = await BodyAsync(await AdvanceUntilAnsweredAsync(client.GetAsync(Url, ct)));
        // Only once ARM's 30 s delay exists on the fake clock does moving the clock end it.
        await armAnswerArmed.WaitAsync(ct);
        _factory.Time.Advance(TimeSpan.FromSeconds(30));
        var answered = await BodyAsync(await client.GetAsync(Url, ct));

        Assert.Equal(RoleAssignmentsService.RefreshPendingCode, PendingOrErrorCode(pending));
        Assert.Single(pending.GetProperty("items").EnumerateArray());
        Assert.False(answered.GetProperty("stale").GetBoolean());
        Assert.Equal(2, answered.GetProperty("items").GetArrayLength());
        Assert.Equal(2, _factory.Arm.Listings);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetRoleAssignments_WhenArmAnswersWithinStaleAfter_WaitsForItAndServesTheNewList()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await ClientWithAGoodListPastItsTtlAsync();
        // ARM's one-second delay must exist on the fake clock before the clock moves: on a busy machine the listing
        // is counted well before its delay is armed, and a delay armed after the move would never end.
        var armAnswerArmed = ArmAnswersAfterOnTheFakeClock(TimeSpan.FromSeconds(1));
        _factory.Arm.Assignments.Add(StubArm.Assignment(TestIds.ReaderRoleId, $"/subscriptions/{TestIds.SubscriptionId}"));

        var request = client.GetAsync(Url, ct);
        await armAnswerArmed.WaitAsync(ct);
        // One second on the clock: ARM's answer is due, the 2 s StaleAfter is not, whenever the API armed it.
        _factory.Time.Advance(TimeSpan.FromSeconds(1));
        var answered = await BodyAsync(await request);

        Assert.False(answered.GetProperty("stale").GetBoolean());
        Assert.Equal(2, answered.GetProperty("items").GetArrayLength());
    }

    [Fact(Timeout = 60_000)]
    public async Task GetRoleAssignments_WhenArmHangsWithNoGoodList_WaitsForArmWhateverTheClockSays()
    {
        var ct = TestContext.Current.CancellationToken;
        var release = ArmAnswersWhenReleased();
        var client = _factory.CreateClient();

        var request = client.GetAsync(Url, ct);
        await WaitForListingsAsync(1);
        _factory.Time.Advance(TimeSpan.FromMinutes(1));
        await Task.WhenAny(request, Task.Delay(200, ct));
        var answeredBeforeArm = request.IsCompleted;
        release.SetResult();
        var answered = await BodyAsync(await request);

        Assert.False(answeredBeforeArm, "with nothing cached there is no stale list to serve: the caller waits for ARM");
        Assert.False(answered.GetProperty("stale").GetBoolean());
    }

    [Theory(Timeout = 60_000)]
    [InlineData(HttpStatusCode.TooManyRequests, "SubscriptionRequestsThrottled", 2)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalServerError", null)]
    public async Task GetRoleAssignments_WhenArmFailsOnceAndRetriesAreOn_ServesTheGoodListMeanwhileThenTheRetriedList(HttpStatusCode status, string code, int? retryAfterSeconds)
    {
        var ct = TestContext.Current.CancellationToken;
        // Azure.Core's retry policy waits in real time (it takes no TimeProvider): the only real wait in this class.
        _factory.Settings["Arm:MaxRetries"] = "1";
        var client = await ClientWithAGoodListPastItsTtlAsync();
        _factory.Arm.Assignments.Add(StubArm.Assignment(TestIds.ReaderRoleId, $"/subscriptions/{TestIds.SubscriptionId}"));
        var attempts = new List<long>();
        // The retry is held until the test has its 'meanwhile' answer, however fast or slow the machine is.
        var retryGate = new TaskCompletionSource();
        _factory.Arm.OnListing = async _ =>
        {
            int attempt;
            lock (attempts)
            {
                attempts.Add(Stopwatch.GetTimestamp());
                attempt = attempts.Count;
            }

            if (attempt > 1)
            {
                await retryGate.Task;
                return StubArm.Json(HttpStatusCode.OK, new { value = _factory.Arm.Assignments.ToArray() });
            }

            var failure = StubArm.ArmError(status, code, "ARM is having a bad day.");
            if (retryAfterSeconds is { } seconds)
            {
                failure.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
            }

            return failure;
        };

        var meanwhile = await BodyAsync(await AdvanceUntilAnsweredAsync(client.GetAsync(Url, ct)));
        await WaitForListingsAsync(3);
        retryGate.SetResult();
        var retried = await BodyAsync(await client.GetAsync(Url, ct));

        Assert.Equal(RoleAssignmentsService.RefreshPendingCode, PendingOrErrorCode(meanwhile));
        Assert.Single(meanwhile.GetProperty("items").EnumerateArray());
        Assert.False(retried.GetProperty("stale").GetBoolean());
        Assert.Equal(2, retried.GetProperty("items").GetArrayLength());
        Assert.Equal(3, _factory.Arm.Listings);
        if (retryAfterSeconds is { } wait)
        {
            // A lower bound only: a loaded machine makes the gap longer, never shorter.
            Assert.True(Stopwatch.GetElapsedTime(attempts[0], attempts[1]) >= TimeSpan.FromSeconds(wait) - TimeSpan.FromMilliseconds(50),
                $"the retry came {Stopwatch.GetElapsedTime(attempts[0], attempts[1]).TotalSeconds:0.00} s after a Retry-After of {wait} s");
        }
    }

    [Theory(Timeout = 60_000)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalServerError", HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.TooManyRequests, "SubscriptionRequestsThrottled", HttpStatusCode.ServiceUnavailable)]
    public async Task GetRoleAssignments_WhenArmFailsWithNothingCached_AnswersFromTheFailureUntilTheBackoffEnds(HttpStatusCode status, string code, HttpStatusCode answered)
    {
        var ct = TestContext.Current.CancellationToken;
        _factory.Arm.OnListing = _ => Task.FromResult(StubArm.ArmError(status, code, "ARM is having a bad day."));
        var client = _factory.CreateClient();

        var failed = await client.GetAsync(Url, ct);
        var withinBackoff = await client.GetAsync(Url, ct);
        var listingsWithinBackoff = _factory.Arm.Listings;
        _factory.Arm.OnListing = null;
        _factory.Time.Advance(TimeSpan.FromSeconds(1));
        var afterBackoff = await BodyAsync(await client.GetAsync(Url, ct));

        Assert.Equal(answered, failed.StatusCode);
        Assert.Equal(code, (await failed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("upstreamCode").GetString());
        Assert.Equal(answered, withinBackoff.StatusCode);
        Assert.Equal(code, (await withinBackoff.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("upstreamCode").GetString());
        Assert.Equal(1, listingsWithinBackoff);
        Assert.False(afterBackoff.GetProperty("stale").GetBoolean());
        Assert.Equal(2, _factory.Arm.Listings);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetRoleAssignments_WhenArmFailedRecentlyAfterAGoodList_ServesStaleWithoutAskingArmUntilTheBackoffEnds()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await ClientWithAGoodListPastItsTtlAsync();
        _factory.Arm.OnListing = _ => Task.FromResult(StubArm.ArmError(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "ARM is having a bad day."));

        var failed = await BodyAsync(await client.GetAsync(Url, ct));
        var withinBackoff = await BodyAsync(await client.GetAsync(Url, ct));
        var listingsWithinBackoff = _factory.Arm.Listings;
        _factory.Time.Advance(TimeSpan.FromSeconds(1));
        var afterBackoff = await BodyAsync(await client.GetAsync(Url, ct));

        Assert.Equal("ServiceUnavailable", PendingOrErrorCode(failed));
        Assert.Equal("ServiceUnavailable", PendingOrErrorCode(withinBackoff));
        Assert.Equal(503, withinBackoff.GetProperty("upstreamError").GetProperty("status").GetInt32());
        Assert.Equal(2, listingsWithinBackoff);
        Assert.Equal("ServiceUnavailable", PendingOrErrorCode(afterBackoff));
        Assert.Equal(3, _factory.Arm.Listings);
    }

    [Fact(Timeout = 60_000)]
    public async Task GetRoleAssignments_WhenRefreshIsForcedDuringTheBackoff_AsksArmAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await ClientWithAGoodListPastItsTtlAsync();
        _factory.Arm.OnListing = _ => Task.FromResult(StubArm.ArmError(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "ARM is having a bad day."));
        var failed = await BodyAsync(await client.GetAsync(Url, ct));
        _factory.Arm.OnListing = null;
        _factory.Arm.Assignments.Add(StubArm.Assignment(TestIds.ReaderRoleId, $"/subscriptions/{TestIds.SubscriptionId}"));

        var forced = await BodyAsync(await client.GetAsync(Url + "?refresh=true", ct));

        Assert.True(failed.GetProperty("stale").GetBoolean());
        Assert.False(forced.GetProperty("stale").GetBoolean());
        Assert.Equal(2, forced.GetProperty("items").GetArrayLength());
        Assert.Equal(3, _factory.Arm.Listings);
    }
}
