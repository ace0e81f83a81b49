using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;

namespace RoleViewer.Api.Tests.Emulator;

public sealed class TelemetryTests(EmulatorHost emulator) : IClassFixture<EmulatorHost>
{
    [Fact(Timeout = 60_000)]
    public async Task GetRoleAssignments_WhenCold_TracesTokenExchangeAndArmCallsUnderTheIncomingRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        var traceId = ActivityTraceId.CreateRandom();
        var activities = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            // Other tests run in parallel: keep only this request's trace.
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    activities.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var factory = new EmulatorApiFactory(emulator);
        var api = factory.CreateClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/role-assignments");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await api.SendAsync(request, ct);
        Assert.True(response.IsSuccessStatusCode);

        var refresh = Assert.Single(activities, a => a.Source.Name == "RoleViewer.Api" && a.OperationName == "RoleAssignments.Refresh");
        var http = activities.Where(a => a.Source.Name == "Azure.Core.Http").ToList();
        Assert.Contains(http, a => (a.GetTagItem("url.full") as string ?? "").Contains("/oauth2/v2.0/token", StringComparison.Ordinal));
        Assert.Contains(http, a => (a.GetTagItem("url.full") as string ?? "").Contains("/roleAssignments", StringComparison.Ordinal));
        Assert.All(http, a => Assert.True(IsDescendantOf(a, refresh.SpanId, activities), $"{a.DisplayName} is not under the refresh span"));
    }

    [Fact(Timeout = 60_000)]
    public async Task GetRoleAssignments_WhenCold_ExportsOneSpanPerHttpCall_AzureCoresNotHttpClientsToo()
    {
        var ct = TestContext.Current.CancellationToken;
        var traceId = ActivityTraceId.CreateRandom();
        var exported = new List<Activity>();
        await using var factory = new EmulatorApiFactory(emulator);
        var api = factory.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported)))).CreateClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/role-assignments");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await api.SendAsync(request, ct);
        Assert.True(response.IsSuccessStatusCode);

        List<Activity> mine;
        lock (exported)
        {
            mine = [.. exported.Where(a => a.TraceId == traceId)];
        }

        var azure = mine.Where(a => a.Source.Name == "Azure.Core.Http").ToList();
        Assert.Contains(azure, a => (a.GetTagItem("url.full") as string ?? "").Contains("/oauth2/v2.0/token", StringComparison.Ordinal));
        Assert.Contains(azure, a => (a.GetTagItem("url.full") as string ?? "").Contains("/roleAssignments", StringComparison.Ordinal));
        // The request's only outgoing HTTP goes through Azure.Core: HttpClient's span of the same call is not exported.
        Assert.DoesNotContain(mine, a => a.Source.Name == "System.Net.Http");
    }

    private static bool IsDescendantOf(Activity activity, ActivitySpanId ancestor, IEnumerable<Activity> all)
    {
        var bySpan = all.ToDictionary(a => a.SpanId);
        for (var parent = activity.ParentSpanId; parent != default; parent = bySpan.TryGetValue(parent, out var p) ? p.ParentSpanId : default)
        {
            if (parent == ancestor)
            {
                return true;
            }
        }

        return false;
    }
}
