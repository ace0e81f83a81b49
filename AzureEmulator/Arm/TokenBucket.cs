using System.Collections.Concurrent;

namespace AzureEmulator.Arm;

/// <summary>What ARM counts a request as, for throttling.</summary>
public enum ArmRequestKind
{
    Read,
    Write,
    Delete,
}

/// <summary>The answer of a bucket: whether the request may run, the tokens left, and when to come back.</summary>
public readonly record struct ThrottleDecision(bool Allowed, int Remaining, int RetryAfterSeconds);

/// <summary>
/// ARM's token bucket: starts full, each request takes one token, tokens come back at a fixed rate. Once it has
/// refused, it refuses everything until the Retry-After it gave has passed, as ARM does.
/// </summary>
public sealed class TokenBucket(int capacity, double refillPerSecond, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _tokens = capacity;
    private long _stamp = time.GetTimestamp();
    private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

    public ThrottleDecision TryTake()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(capacity, _tokens + (time.GetElapsedTime(_stamp, now).TotalSeconds * refillPerSecond));
            _stamp = now;

            var wallClock = time.GetUtcNow();
            if (wallClock < _blockedUntil)
            {
                return new ThrottleDecision(false, 0, Math.Max(1, (int)Math.Ceiling((_blockedUntil - wallClock).TotalSeconds)));
            }

            if (_tokens >= 1)
            {
                _tokens -= 1;
                return new ThrottleDecision(true, (int)Math.Floor(_tokens), 0);
            }

            var retryAfter = Math.Max(1, (int)Math.Ceiling((1 - _tokens) / refillPerSecond));
            _blockedUntil = wallClock.AddSeconds(retryAfter);
            return new ThrottleDecision(false, 0, retryAfter);
        }
    }
}

/// <summary>
/// One bucket per subscription (or tenant), principal and request kind, with ARM's limits (since 2024): reads 250
/// refilling at 25/s, writes and deletes 200 at 10/s; and per subscription and kind a global bucket shared by all
/// principals, <see cref="EmulatorArmOptions.GlobalBucketMultiplier"/> (15) times as large and as fast.
/// </summary>
public sealed class ArmThrottle(TimeProvider time, EmulatorArmOptions options)
{
    private readonly ConcurrentDictionary<(string Scope, Guid Principal, ArmRequestKind Kind), TokenBucket> _buckets = new();

    public ThrottleDecision TryTake(string subscriptionOrTenant, Guid principal, ArmRequestKind kind) =>
        _buckets.GetOrAdd((subscriptionOrTenant.ToUpperInvariant(), principal, kind), key => key.Kind switch
        {
            ArmRequestKind.Read => new TokenBucket(options.ReadBucketCapacity, options.ReadRefillPerSecond, time),
            _ => new TokenBucket(options.WriteBucketCapacity, options.WriteRefillPerSecond, time),
        }).TryTake();

    public ThrottleDecision TryTakeGlobal(string subscription, ArmRequestKind kind) =>
        _buckets.GetOrAdd((subscription.ToUpperInvariant(), Guid.Empty, kind), key => key.Kind switch
        {
            ArmRequestKind.Read => new TokenBucket(options.ReadBucketCapacity * options.GlobalBucketMultiplier, options.ReadRefillPerSecond * options.GlobalBucketMultiplier, time),
            _ => new TokenBucket(options.WriteBucketCapacity * options.GlobalBucketMultiplier, options.WriteRefillPerSecond * options.GlobalBucketMultiplier, time),
        }).TryTake();

    /// <summary>Refills every bucket (admin API), so that tests and benchmarks start from ARM's fresh state.</summary>
    public void Reset() => _buckets.Clear();
}
