using Microsoft.Extensions.DependencyInjection;
using RoleViewer.Api.Doctor;
using RoleViewer.Api.Pod;

namespace RoleViewer.Api.Tests;

/// <summary>The doctor's report between probes and the pod facts between samples, on the factory's fake clock.</summary>
public sealed class ReportAndPodCacheTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact(Timeout = 30_000)]
    public async Task Report_WhileNothingChanged_IsReused_AndRenewedAfterItsTtl()
    {
        var ct = TestContext.Current.CancellationToken;
        var cache = _factory.Services.GetRequiredService<IdentityReportCache>();
        var first = await cache.GetAsync(forceProbe: false, ct);

        var again = await cache.GetAsync(forceProbe: false, ct);
        _factory.Time.Advance(TimeSpan.FromSeconds(1));
        var afterTtl = await cache.GetAsync(forceProbe: false, ct);

        Assert.Same(first, again);
        Assert.NotSame(first, afterTtl);
    }

    [Fact(Timeout = 30_000)]
    public async Task Report_WhenTheTokenFileRotates_IsDiagnosedAnew()
    {
        var ct = TestContext.Current.CancellationToken;
        var cache = _factory.Services.GetRequiredService<IdentityReportCache>();
        var first = await cache.GetAsync(forceProbe: false, ct);

        File.WriteAllText(_factory.TokenFile, TestJwt.ServiceAccountToken(expires: DateTimeOffset.UtcNow.AddHours(-1)));
        File.SetLastWriteTimeUtc(_factory.TokenFile, DateTime.UtcNow.AddMinutes(1));
        var rotated = await cache.GetAsync(forceProbe: false, ct);

        Assert.NotSame(first, rotated);
        Assert.Equal("fail", rotated.Checks.Single(c => c.Id == "projectedToken").Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task Report_ForcedProbe_DiagnosesAnew_AndEveryLaterRequestSeesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var cache = _factory.Services.GetRequiredService<IdentityReportCache>();
        var healthy = await cache.GetAsync(forceProbe: false, ct);
        var probesBefore = _factory.Probes;

        var probed = await cache.GetAsync(forceProbe: true, ct);
        var next = await cache.GetAsync(forceProbe: false, ct);

        Assert.NotSame(healthy, probed);
        Assert.Equal(probesBefore + 1, _factory.Probes);
        Assert.Same(probed, next);
    }

    [Fact(Timeout = 30_000)]
    public async Task Report_ConcurrentRequests_ShareOneDiagnosis()
    {
        var ct = TestContext.Current.CancellationToken;
        var cache = _factory.Services.GetRequiredService<IdentityReportCache>();

        var reports = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => cache.GetAsync(forceProbe: false, ct)));

        Assert.All(reports, r => Assert.Same(reports[0], r));
    }

    [Fact]
    public void PodFacts_WithinTheSampleInterval_AnswerFromTheSample_ThenReReadTheLimits()
    {
        File.WriteAllText(Path.Combine(_factory.Root, "self-cgroup"), "0::/\n");
        File.WriteAllText(Path.Combine(_factory.Root, "memory.max"), "268435456\n");
        var pod = _factory.Services.GetRequiredService<PodFactsProvider>();
        var first = pod.Get();

        File.WriteAllText(Path.Combine(_factory.Root, "memory.max"), "536870912\n");
        _factory.Time.Advance(TimeSpan.FromMilliseconds(500));
        var sampled = pod.Get();
        _factory.Time.Advance(TimeSpan.FromMilliseconds(500));
        var resampled = pod.Get();

        Assert.Equal(268435456, first.MemoryLimitBytes);
        Assert.Equal(268435456, sampled.MemoryLimitBytes);
        Assert.Equal(first.ProcessUptimeSeconds + 0.5, sampled.ProcessUptimeSeconds, precision: 1);
        Assert.Equal(536870912, resampled.MemoryLimitBytes);
    }
}
