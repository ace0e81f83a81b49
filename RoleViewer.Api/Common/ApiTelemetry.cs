using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RoleViewer.Api.Common;

/// <summary>The API's own spans and metrics (one meter and one source for all features); ServiceDefaults exports both under the application name.</summary>
public sealed class ApiTelemetry
{
    public const string Name = "RoleViewer.Api";

    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _armCalls;
    private readonly Counter<long> _staleServes;

    public ApiTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _cacheHits = meter.CreateCounter<long>("roleviewer.role_assignments.cache.hits", description: "Listings answered from the cache.");
        _cacheMisses = meter.CreateCounter<long>("roleviewer.role_assignments.cache.misses", description: "Listings that had to wait for ARM.");
        _armCalls = meter.CreateCounter<long>("roleviewer.arm.calls", description: "ARM operations started by the API.");
        _staleServes = meter.CreateCounter<long>("roleviewer.role_assignments.stale_serves", description: "Listings served stale because ARM failed or was slow.");
    }

    public static ActivitySource Source { get; } = new(Name);

    public void CacheHit() => _cacheHits.Add(1);

    public void CacheMiss() => _cacheMisses.Add(1);

    /// <summary>Called by the ARM client's pipeline (<c>ArmCallCounter</c>), once per operation started.</summary>
    public void ArmCall(string operation) => _armCalls.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void StaleServe(string code) => _staleServes.Add(1, new KeyValuePair<string, object?>("upstream.code", code));
}
