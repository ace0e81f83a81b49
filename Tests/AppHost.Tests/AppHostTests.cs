using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AppHost.Tests;

public sealed class AppHostTests(AppHostFixture fixture) : IClassFixture<AppHostFixture>
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WebPage_WhenAllResourcesAreHealthy_ShowsFactsItGotFromTheApi()
    {
        using var cts = new CancellationTokenSource(RequestTimeout);
        using var web = fixture.App.CreateHttpClient("web");
        using var api = fixture.App.CreateHttpClient("api", "http");

        // The api's first listing (token exchange, ARM) can outlast the web's 4 s budget on a loaded machine: warm it
        // first, so that the page is judged on the path web → api, not on the api's cold start.
        using var assignments = JsonDocument.Parse(await api.GetStringAsync(new Uri("/api/role-assignments", UriKind.Relative), cts.Token));
        (await api.GetAsync(new Uri("/api/identity", UriKind.Relative), cts.Token)).EnsureSuccessStatusCode();
        // The web keeps a snapshot for a second and may serve it once more while it loads the next: a snapshot taken
        // before the api was warm can still be served once, so ask until a page shows no failure (the web's own
        // background refresh does the same for a person), within the test's budget.
        HttpResponseMessage response;
        string html;
        List<string> failures;
        while (true)
        {
            response = await web.GetAsync(new Uri("/", UriKind.Relative), cts.Token);
            html = await response.Content.ReadAsStringAsync(cts.Token);
            failures = Regex.Matches(html, "data-testid=\"(?:api-banner|section-failure)\"[^>]*>(.*?)</div>", RegexOptions.Singleline)
                .Select(m => Regex.Replace(m.Groups[1].Value, "<[^>]+>|\\s+", " ").Trim()).ToList();
            if (failures.Count == 0 || cts.Token.IsCancellationRequested)
            {
                break;
            }

            await Task.Delay(1_000, cts.Token);
        }

        using var pod = JsonDocument.Parse(await api.GetStringAsync(new Uri("/api/pod", UriKind.Relative), cts.Token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Every figure below exists only if web reached api: the web's own machine name would not prove it (both run here).
        Assert.True(failures.Count == 0, "the page shows failures: " + string.Join(" | ", failures));
        var rows = Regex.Matches(html, "<tbody\\b[^>]*\\bdata-id=\"([^\"]+)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        var served = assignments.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        Assert.NotEmpty(served);
        Assert.All(served, id => Assert.Contains(id, rows));
        Assert.Contains("RoleViewer Reader", html, StringComparison.Ordinal);
        var podName = Regex.Match(html, "<code data-testid=\"api-pod-name\">([^<]*)</code>");
        Assert.True(podName.Success, "the page names no API pod: web did not get /api/pod");
        Assert.Equal(pod.RootElement.GetProperty("podName").GetString(), WebUtility.HtmlDecode(podName.Groups[1].Value));
        // The api process's start time is the api's alone (web started at another instant).
        var apiStartedAt = pod.RootElement.GetProperty("startedAt").GetDateTimeOffset().ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        var times = Regex.Matches(html, "<time\\b[^>]*\\bdatetime=\"([^\"]+)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Contains(apiStartedAt, times);
    }

    [Fact]
    public async Task Dashboard_AfterAPageRequest_HoldsOneTraceWithSpansFromWebAndApi()
    {
        using var cts = new CancellationTokenSource(RequestTimeout);
        using var web = fixture.App.CreateHttpClient("web");
        using var dashboard = fixture.CreateDashboardClient();

        (await web.GetAsync(new Uri("/", UriKind.Relative), cts.Token)).EnsureSuccessStatusCode();

        // Telemetry reaches the dashboard about a second after the request; poll until the joint trace shows up.
        IReadOnlySet<string>? services = null;
        while (!cts.IsCancellationRequested)
        {
            services = await FindTraceSpanningWebAndApiAsync(dashboard, cts.Token);
            if (services is not null)
            {
                break;
            }

            await Task.Delay(500, cts.Token);
        }

        Assert.NotNull(services);
        Assert.Contains("web", services);
        Assert.Contains("api", services);
    }

    /// <summary>The services of the first trace of web's that also holds spans of api, or null.</summary>
    private static async Task<IReadOnlySet<string>?> FindTraceSpanningWebAndApiAsync(HttpClient dashboard, CancellationToken cancellationToken)
    {
        using var traces = JsonDocument.Parse(await dashboard.GetStringAsync(new Uri("/api/telemetry/traces?resource=web", UriKind.Relative), cancellationToken));
        var traceIds = Spans(traces.RootElement).Select(s => s.Span.GetProperty("traceId").GetString()!).Distinct().ToList();

        foreach (var traceId in traceIds)
        {
            using var trace = JsonDocument.Parse(await dashboard.GetStringAsync(new Uri($"/api/telemetry/traces/{traceId}", UriKind.Relative), cancellationToken));
            var services = Spans(trace.RootElement).Select(s => s.Service).ToHashSet(StringComparer.Ordinal);
            if (services.Contains("web") && services.Contains("api"))
            {
                return services;
            }
        }

        return null;
    }

    private static IEnumerable<(string Service, JsonElement Span)> Spans(JsonElement root)
    {
        foreach (var resourceSpans in root.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = resourceSpans.GetProperty("resource").GetProperty("attributes").EnumerateArray()
                .Where(a => a.GetProperty("key").GetString() == "service.name")
                .Select(a => a.GetProperty("value").GetProperty("stringValue").GetString())
                .FirstOrDefault() ?? "";
            foreach (var scopeSpans in resourceSpans.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scopeSpans.GetProperty("spans").EnumerateArray())
                {
                    yield return (service, span);
                }
            }
        }
    }
}
