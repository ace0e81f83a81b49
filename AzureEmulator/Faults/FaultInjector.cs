using System.Collections.Concurrent;

namespace AzureEmulator.Faults;

/// <summary>Which half of the emulator a fault applies to.</summary>
public enum FaultTarget
{
    Token,
    Arm,
}

/// <summary>Faults for one target; rates are probabilities between 0 and 1.</summary>
public sealed record FaultSettings
{
    public int LatencyMs { get; init; }

    /// <summary>HTTP status (429, 500, 503) → probability of answering it instead of serving the request.</summary>
    public IReadOnlyDictionary<int, double> ErrorRates { get; init; } = new Dictionary<int, double>();

    /// <summary>Probability that a request hangs until the client gives up.</summary>
    public double HangRate { get; init; }

    public int RetryAfterSeconds { get; init; } = 1;

    public static FaultSettings None { get; } = new();

    public IEnumerable<string> Validate()
    {
        if (LatencyMs is < 0 or > 600_000)
        {
            yield return "latencyMs must be between 0 and 600000.";
        }

        foreach (var (status, rate) in ErrorRates)
        {
            if (status is not (429 or 500 or 502 or 503 or 504))
            {
                yield return $"errorRates: status {status} is not supported; use 429, 500, 502, 503 or 504.";
            }

            if (rate is < 0 or > 1)
            {
                yield return $"errorRates[{status}] must be between 0 and 1.";
            }
        }

        if (ErrorRates.Values.Sum() + HangRate > 1)
        {
            yield return "The error rates and hangRate add up to more than 1.";
        }

        if (RetryAfterSeconds is < 0 or > 3600)
        {
            yield return "retryAfterSeconds must be between 0 and 3600.";
        }
    }
}

/// <summary>What a request should do after the fault injector has run.</summary>
public readonly record struct FaultDecision(int? Status, int RetryAfterSeconds)
{
    public static FaultDecision Proceed { get; } = new(null, 0);

    public bool ShouldFail => Status is not null;
}

/// <summary>
/// Applies the configured latency, errors and hangs. Each half renders a failing decision in its own error shape
/// (Entra's or ARM's), so clients meet the same bodies as in Azure.
/// </summary>
public sealed class FaultInjector(TimeProvider time)
{
    private readonly ConcurrentDictionary<FaultTarget, FaultSettings> _settings = new();

    // Cancelled whenever a target's faults change, so requests hanging under the old settings carry on.
    private readonly ConcurrentDictionary<FaultTarget, CancellationTokenSource> _changed = new();

    public FaultSettings Get(FaultTarget target) => _settings.GetValueOrDefault(target, FaultSettings.None);

    public void Set(FaultTarget target, FaultSettings value)
    {
        _settings[target] = value;
        ReleaseHangs(target);
    }

    public void Clear(FaultTarget target)
    {
        _settings.TryRemove(target, out _);
        ReleaseHangs(target);
    }

    private void ReleaseHangs(FaultTarget target)
    {
        if (_changed.TryRemove(target, out var previous))
        {
            // Not disposed: a request may be reading its token right now; nothing unmanaged is held.
            previous.Cancel();
        }
    }

    public async Task<FaultDecision> ApplyAsync(FaultTarget target, CancellationToken cancellationToken)
    {
        var current = Get(target);
        if (current.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(current.LatencyMs), time, cancellationToken);
        }

        var roll = Random.Shared.NextDouble();
        if (roll < current.HangRate)
        {
            // A hang ends when the client gives up (its request is aborted) or the fault is changed or cleared:
            // then the request is served, as by an upstream that has recovered.
            using var released = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _changed.GetOrAdd(target, _ => new()).Token);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, released.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return FaultDecision.Proceed;
            }
        }

        roll -= current.HangRate;
        foreach (var (status, rate) in current.ErrorRates)
        {
            if (roll < rate)
            {
                return new FaultDecision(status, current.RetryAfterSeconds);
            }

            roll -= rate;
        }

        return FaultDecision.Proceed;
    }
}
