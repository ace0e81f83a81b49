using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using RoleViewer.Api.Common;

namespace RoleViewer.Api.Tests;

public sealed class MetricsTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact(Timeout = 30_000)]
    public async Task GetRoleAssignments_CountsCacheHitsMissesUpstreamCallsAndStaleServes()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = _factory.CreateClient();
        var meterFactory = _factory.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var hits = new MetricCollector<long>(meterFactory, ApiTelemetry.Name, "roleviewer.role_assignments.cache.hits");
        using var misses = new MetricCollector<long>(meterFactory, ApiTelemetry.Name, "roleviewer.role_assignments.cache.misses");
        using var calls = new MetricCollector<long>(meterFactory, ApiTelemetry.Name, "roleviewer.arm.calls");
        using var stale = new MetricCollector<long>(meterFactory, ApiTelemetry.Name, "roleviewer.role_assignments.stale_serves");

        await client.GetFromJsonAsync<JsonElement>("/api/role-assignments", ct);
        await client.GetFromJsonAsync<JsonElement>("/api/role-assignments", ct);
        _factory.Arm.OnListing = _ => Task.FromResult(StubArm.ArmError(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "Down."));
        _factory.Time.Advance(TimeSpan.FromSeconds(11));
        await client.GetFromJsonAsync<JsonElement>("/api/role-assignments", ct);

        Assert.Equal(1, hits.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(2, misses.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(2, calls.GetMeasurementSnapshot().Count(m => (string?)m.Tags["operation"] == "roleAssignments.list"));
        var staleServe = Assert.Single(stale.GetMeasurementSnapshot());
        Assert.Equal("ServiceUnavailable", staleServe.Tags["upstream.code"]);
    }
}
