using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using ServiceDefaults = Microsoft.Extensions.Hosting.Extensions;

namespace RoleViewer.Api.Tests;

/// <summary>ServiceDefaults' trace sampler: everything under the AppHost, a parent-based ratio in production,
/// Azure Monitor's own sampler whenever it exports.</summary>
public sealed class TraceSamplingTests
{
    private static HostApplicationBuilder Builder(string environment, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        return builder;
    }

    private static SamplingDecision Decide(Sampler sampler, ActivityContext parent) =>
        sampler.ShouldSample(new SamplingParameters(parent, ActivityTraceId.CreateRandom(), "GET /", ActivityKind.Server)).Decision;

    [Fact]
    public void Development_RecordsEveryTrace()
    {
        var sampler = ServiceDefaults.TraceSampler(Builder(Environments.Development));

        Assert.IsType<AlwaysOnSampler>(sampler);
    }

    [Fact]
    public void Production_SamplesNewTracesByRatio_AndFollowsTheParentsDecision()
    {
        var sampler = ServiceDefaults.TraceSampler(Builder(Environments.Production, (ServiceDefaults.TraceSampleRatioKey, "0")));
        var sampledParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var unsampledParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);

        Assert.IsType<ParentBasedSampler>(sampler);
        Assert.Equal(SamplingDecision.Drop, Decide(sampler, default));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler, sampledParent));
        Assert.Equal(SamplingDecision.Drop, Decide(sampler, unsampledParent));
    }

    [Fact]
    public void Production_WithoutConfiguration_KeepsAboutOneTraceInTen()
    {
        var sampler = ServiceDefaults.TraceSampler(Builder(Environments.Production))!;

        var kept = Enumerable.Range(0, 10_000).Count(_ => Decide(sampler, default) == SamplingDecision.RecordAndSample);

        Assert.InRange(kept, 700, 1_300);
    }

    [Theory]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=00000000-0000-0000-0000-000000000000")]
    [InlineData("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")]
    public void WhenAzureMonitorOrTheStandardVariableChooses_NoSamplerIsImposed(string key, string value)
    {
        Assert.Null(ServiceDefaults.TraceSampler(Builder(Environments.Production, (key, value))));
    }

    [Fact]
    public void InvalidRatio_SaysWhatToSet()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            ServiceDefaults.TraceSampler(Builder(Environments.Production, (ServiceDefaults.TraceSampleRatioKey, "10%"))));

        Assert.Contains("from 0 (no new traces) to 1", error.Message, StringComparison.Ordinal);
    }
}
