using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;

namespace AzureEmulator.Tests.Arm;

/// <summary>
/// The emulator on a fake clock that moves only when the test says so: ARM's read bucket (250, refilling 25 per
/// second) then refills not at all while a test empties it, so every count and the 429 are exact on any machine.
/// </summary>
public sealed class FrozenClockEmulatorFixture : EmulatorFixture
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected override TimeProvider Clock => Time;
}

/// <summary>Its own emulator: emptying a principal's read bucket must not slow other test classes down.</summary>
public sealed class ArmThrottlingTests(FrozenClockEmulatorFixture emulator) : IClassFixture<FrozenClockEmulatorFixture>
{
    private static readonly string Assignments = $"{ArmClient.SubscriptionScope}/providers/Microsoft.Authorization/roleAssignments?api-version={ArmClient.ApiVersion}";

    [Fact(Timeout = 120_000)]
    public async Task Reads_WhenOnePrincipalSends300Rapidly_CountDownThen429WithRetryAfterThatAzureCoreHonours()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = emulator.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await ArmClient.GetTokenAsync(emulator, SeedIds.ApiClientId, "https://management.azure.com/", ct));

        // The pipeline client fetches its token now (admin calls are not throttled), so that later only ARM calls count.
        var pipeline = new ArmClient(emulator, SeedIds.ApiClientId);
        (await http.DeleteAsync(new Uri("/admin/arm/throttle", UriKind.Relative), ct)).EnsureSuccessStatusCode();
        var throttledBefore = await CountThrottledAsync(ct);
        await pipeline.GetAsync("/admin/counters", ct);

        var remaining = new List<int>();
        (HttpStatusCode Status, string? RetryAfter, string? Code)? firstThrottled = null;
        for (var i = 0; i < 300 && firstThrottled is null; i++)
        {
            using var response = await http.GetAsync(new Uri(Assignments, UriKind.Relative), ct);
            remaining.Add(int.Parse(response.Headers.GetValues("x-ms-ratelimit-remaining-subscription-reads").Single(), System.Globalization.CultureInfo.InvariantCulture));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var body = await response.Content.ReadFromJsonAsync<JsonNode>(ct);
                firstThrottled = (response.StatusCode, response.Headers.TryGetValues("Retry-After", out var r) ? r.Single() : null, body!["error"]!["code"]!.GetValue<string>());
            }
        }

        Assert.NotNull(firstThrottled);
        Assert.Equal("SubscriptionRequestsThrottled", firstThrottled.Value.Code);
        // The next token comes in 1/25 s, announced in whole seconds.
        Assert.Equal("1", firstThrottled.Value.RetryAfter);
        Assert.Equal([.. Enumerable.Range(0, 250).Reverse(), 0], remaining);

        // Azure.Core's retry policy meets the 429, waits Retry-After (real time: it has no clock to inject) and tries
        // again once the bucket has refilled on the emulator's clock; the caller never sees the 429.
        var call = pipeline.GetAsync(Assignments, ct);
        while (await CountThrottledAsync(ct) < throttledBefore + 2)
        {
            await Task.Delay(20, ct);
        }

        emulator.Time.Advance(TimeSpan.FromSeconds(1));
        var (status, _, _) = await call;

        Assert.Equal(200, status);
        // At least the raw 429 and the pipeline's first try; one more if a loaded machine let the retry come first.
        Assert.True(await CountThrottledAsync(ct) >= throttledBefore + 2);
    }

    private async Task<long> CountThrottledAsync(CancellationToken ct) =>
        (await emulator.GetCountersAsync(ct)).ArmCalls
            .Where(c => c.Caller == SeedIds.ApiObjectId && c.Outcome == "SubscriptionRequestsThrottled").Sum(c => c.Count);
}

/// <summary>Buckets of 20 reads refilling one per 100 s, and a subscription-global bucket no larger than a principal's.</summary>
public sealed class SmallGlobalBucketEmulatorFixture : EmulatorFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Emulator:Arm:ReadBucketCapacity"] = "20",
        ["Emulator:Arm:ReadRefillPerSecond"] = "0.01",
        ["Emulator:Arm:GlobalBucketMultiplier"] = "1",
    };
}

public sealed class ArmGlobalThrottlingTests(SmallGlobalBucketEmulatorFixture emulator) : IClassFixture<SmallGlobalBucketEmulatorFixture>
{
    private static readonly string Assignments = $"{ArmClient.SubscriptionScope}/providers/Microsoft.Authorization/roleAssignments?api-version={ArmClient.ApiVersion}";

    [Fact(Timeout = 60_000)]
    public async Task Reads_WhenOnePrincipalEmptiesTheSubscriptionsGlobalBucket_AnotherWithTokensLeftIsThrottledToo()
    {
        var ct = TestContext.Current.CancellationToken;
        using var operatorHttp = await ClientAsync(SeedIds.OperatorClientId, ct);
        using var appHttp = await ClientAsync(SeedIds.ApiClientId, ct);

        using var first = await operatorHttp.GetAsync(new Uri(Assignments, UriKind.Relative), ct);
        for (var i = 1; i < 20; i++)
        {
            using var response = await operatorHttp.GetAsync(new Uri(Assignments, UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var refused = await appHttp.GetAsync(new Uri(Assignments, UriKind.Relative), ct);
        var body = await refused.Content.ReadFromJsonAsync<JsonNode>(ct);

        Assert.Equal("19", Header(first, "x-ms-ratelimit-remaining-subscription-reads"));
        Assert.Equal("19", Header(first, "x-ms-ratelimit-remaining-subscription-global-reads"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("19", Header(refused, "x-ms-ratelimit-remaining-subscription-reads"));
        Assert.Equal("0", Header(refused, "x-ms-ratelimit-remaining-subscription-global-reads"));
        Assert.Equal("SubscriptionRequestsThrottled", body!["error"]!["code"]!.GetValue<string>());
        Assert.Contains("global limit", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    private async Task<HttpClient> ClientAsync(string clientId, CancellationToken ct)
    {
        var http = emulator.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ArmClient.GetTokenAsync(emulator, clientId, "https://management.azure.com/", ct));
        return http;
    }
}
