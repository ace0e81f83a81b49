using System.Net;
using System.Text.Json;

namespace AppHost.Tests;

public sealed class AppHostTests(AppHostFixture fixture) : IClassFixture<AppHostFixture>
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WebPage_WhenAllResourcesAreHealthy_ShowsFactsItGotFromTheApi()
    {
        using var cts = new CancellationTokenSource(RequestTimeout);
        using var web = fixture.App.CreateHttpClient("web");

        var response = await web.GetAsync(new Uri("/", UriKind.Relative), cts.Token);
        var html = await response.Content.ReadAsStringAsync(cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The pod facts come from the api process, which runs on this machine: the page can only show this
        // host name if web reached api.
        Assert.Contains(Environment.MachineName, html, StringComparison.Ordinal);
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
