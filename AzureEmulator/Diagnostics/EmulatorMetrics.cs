using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AzureEmulator.Diagnostics;

/// <summary>
/// Counts token exchanges and ARM calls, both as OpenTelemetry metrics (meter "AzureEmulator") and as a snapshot
/// on /admin/counters that tests and benchmarks read.
/// </summary>
public sealed class EmulatorMetrics
{
    public const string MeterName = "AzureEmulator";

    private readonly Counter<long> _tokenExchanges;
    private readonly Counter<long> _armCalls;
    private readonly ConcurrentDictionary<(string ClientId, string Outcome), long> _tokenCounts = new();
    private readonly ConcurrentDictionary<(string Operation, string Caller, string Outcome), long> _armCounts = new();

    public EmulatorMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _tokenExchanges = meter.CreateCounter<long>("emulator.token.exchanges", description: "Token requests served by the Entra endpoint, by client and outcome.");
        _armCalls = meter.CreateCounter<long>("emulator.arm.calls", description: "ARM calls served, by operation, caller and outcome.");
    }

    /// <param name="outcome">"success" or the AADSTS code / OAuth error of the answer.</param>
    public void RecordTokenExchange(string clientId, string outcome)
    {
        _tokenCounts.AddOrUpdate((clientId, outcome), 1, (_, n) => n + 1);
        _tokenExchanges.Add(1, new("client_id", clientId), new("outcome", outcome));
    }

    /// <param name="operation">e.g. "roleAssignments.list".</param>
    /// <param name="caller">the caller's object id, or "anonymous".</param>
    /// <param name="outcome">"success" or the ARM error code.</param>
    public void RecordArmCall(string operation, string caller, string outcome)
    {
        _armCounts.AddOrUpdate((operation, caller, outcome), 1, (_, n) => n + 1);
        _armCalls.Add(1, new("operation", operation), new("caller", caller), new("outcome", outcome));
    }

    public CountersSnapshot Snapshot() => new(
        [.. _tokenCounts.Select(c => new TokenExchangeCount(c.Key.ClientId, c.Key.Outcome, c.Value)).OrderBy(c => c.ClientId).ThenBy(c => c.Outcome)],
        [.. _armCounts.Select(c => new ArmCallCount(c.Key.Operation, c.Key.Caller, c.Key.Outcome, c.Value)).OrderBy(c => c.Operation).ThenBy(c => c.Caller).ThenBy(c => c.Outcome)]);

    public void Reset()
    {
        _tokenCounts.Clear();
        _armCounts.Clear();
    }
}

public sealed record CountersSnapshot(IReadOnlyList<TokenExchangeCount> TokenExchanges, IReadOnlyList<ArmCallCount> ArmCalls);

public sealed record TokenExchangeCount(string ClientId, string Outcome, long Count);

public sealed record ArmCallCount(string Operation, string Caller, string Outcome, long Count);
