using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AzureEmulator.Tests.Arm;

/// <summary>
/// ARM's read bucket (250) refilling slowly, at one read per 5 s instead of 25 per second: a refused caller is then
/// blocked for seconds rather than 40 ms, so "the next call meets a 429" holds however loaded the test machine is.
/// </summary>
public sealed class SlowRefillEmulatorFixture : EmulatorFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Emulator:Arm:ReadRefillPerSecond"] = "0.2",
    };
}

/// <summary>Its own emulator: emptying a principal's read bucket must not slow other test classes down.</summary>
public sealed class ArmThrottlingTests(SlowRefillEmulatorFixture emulator) : IClassFixture<SlowRefillEmulatorFixture>
{
    private static readonly string Assignments = $"{ArmClient.SubscriptionScope}/providers/Microsoft.Authorization/roleAssignments?api-version={ArmClient.ApiVersion}";

    [Fact(Timeout = 120_000)]
    public async Task Reads_WhenOnePrincipalSends300Rapidly_CountDownThen429WithRetryAfterThatAzureCoreHonours()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = emulator.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await ArmClient.GetTokenAsync(emulator, SeedDirectory.ApiClientId, "https://management.azure.com/", ct));

        // The pipeline client fetches its token now, so that later its first attempt comes while the principal is still blocked.
        var pipeline = new ArmClient(emulator, SeedDirectory.ApiClientId);
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
        // Retry-After is the time until the next token: (1 - fraction left) / 0.2 per second, rounded up.
        Assert.True(int.TryParse(firstThrottled.Value.RetryAfter, out var retryAfter) && retryAfter is >= 1 and <= 5, $"Retry-After: {firstThrottled.Value.RetryAfter}");
        Assert.True(remaining.Count > 250, $"throttled after {remaining.Count} reads; the bucket holds 250");
        Assert.Equal(249, remaining[0]);
        Assert.True(remaining.Zip(remaining.Skip(1)).Take(200).All(p => p.Second <= p.First), "remaining reads must count down");

        // Azure.Core's retry policy waits for Retry-After and tries again; the call succeeds without the caller seeing the 429.
        var (status, _, _) = await pipeline.GetAsync(Assignments, ct);
        var throttledAfter = await CountThrottledAsync(ct);

        Assert.Equal(200, status);
        Assert.True(throttledAfter >= throttledBefore + 2, "besides the raw 429, the pipeline should have met at least one 429 before succeeding");
    }

    private async Task<long> CountThrottledAsync(CancellationToken ct) =>
        (await emulator.GetCountersAsync(ct)).ArmCalls
            .Where(c => c.Caller == SeedDirectory.ApiObjectId && c.Outcome == "SubscriptionRequestsThrottled").Sum(c => c.Count);
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
        using var operatorHttp = await ClientAsync(SeedDirectory.OperatorClientId, ct);
        using var appHttp = await ClientAsync(SeedDirectory.ApiClientId, ct);

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
