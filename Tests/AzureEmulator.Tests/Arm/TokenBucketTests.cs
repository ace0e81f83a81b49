using AzureEmulator.Arm;
using Microsoft.Extensions.Time.Testing;

namespace AzureEmulator.Tests.Arm;

public sealed class TokenBucketTests
{
    [Fact]
    public void TryTake_WhenReadBucketIsEmptied_RefusesWithRetryAfter()
    {
        var time = new FakeTimeProvider();
        var throttle = new ArmThrottle(time, new EmulatorArmOptions());
        var principal = Guid.NewGuid();

        var decisions = Enumerable.Range(0, 251).Select(_ => throttle.TryTake(SeedIds.SubscriptionId, principal, ArmRequestKind.Read)).ToList();

        Assert.All(decisions.Take(250), d => Assert.True(d.Allowed));
        Assert.Equal(Enumerable.Range(0, 250).Select(i => 249 - i), decisions.Take(250).Select(d => d.Remaining));
        Assert.False(decisions[250].Allowed);
        Assert.Equal(1, decisions[250].RetryAfterSeconds);
    }

    [Fact]
    public void TryTake_AfterOneSecond_HasRefilledTwentyFiveReads()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(250, 25, time);
        while (bucket.TryTake().Allowed)
        {
        }

        time.Advance(TimeSpan.FromSeconds(1));
        var allowed = 0;
        while (bucket.TryTake().Allowed)
        {
            allowed++;
        }

        Assert.Equal(25, allowed);
    }

    [Fact]
    public void TryTake_WhenWriteBucketIsEmpty_AsksToWaitForTheNextToken()
    {
        var time = new FakeTimeProvider();
        var throttle = new ArmThrottle(time, new EmulatorArmOptions { WriteBucketCapacity = 2, WriteRefillPerSecond = 0.25 });
        var principal = Guid.NewGuid();

        throttle.TryTake("sub", principal, ArmRequestKind.Write);
        throttle.TryTake("sub", principal, ArmRequestKind.Write);
        var refused = throttle.TryTake("sub", principal, ArmRequestKind.Write);
        var otherPrincipal = throttle.TryTake("sub", Guid.NewGuid(), ArmRequestKind.Write);
        var reads = throttle.TryTake("sub", principal, ArmRequestKind.Read);

        Assert.False(refused.Allowed);
        Assert.Equal(4, refused.RetryAfterSeconds);
        Assert.True(otherPrincipal.Allowed);
        Assert.True(reads.Allowed);
    }

    [Fact]
    public void TryTake_BeforeRetryAfterHasPassed_KeepsRefusingEvenWithTokensBack()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(1, 10, time);
        bucket.TryTake();
        var refused = bucket.TryTake();

        time.Advance(TimeSpan.FromMilliseconds(500));
        var stillRefused = bucket.TryTake();
        time.Advance(TimeSpan.FromMilliseconds(500));
        var allowed = bucket.TryTake();

        Assert.Equal((false, 1), (refused.Allowed, refused.RetryAfterSeconds));
        Assert.Equal((false, 1), (stillRefused.Allowed, stillRefused.RetryAfterSeconds));
        Assert.True(allowed.Allowed);
    }

    [Fact]
    public void Reset_RefillsEveryBucket()
    {
        var throttle = new ArmThrottle(new FakeTimeProvider(), new EmulatorArmOptions { ReadBucketCapacity = 1 });
        var principal = Guid.NewGuid();
        throttle.TryTake("sub", principal, ArmRequestKind.Read);

        throttle.Reset();

        Assert.True(throttle.TryTake("sub", principal, ArmRequestKind.Read).Allowed);
    }
}
