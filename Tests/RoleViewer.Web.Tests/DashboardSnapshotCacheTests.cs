extern alias web;

using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using web::RoleViewer.Contracts;
using web::RoleViewer.Web.ApiClients;
using web::RoleViewer.Web.Dashboard;

namespace RoleViewer.Web.Tests;

/// <summary>The web's snapshot cache with a fake clock and a loader the test completes by hand.</summary>
public sealed class DashboardSnapshotCacheTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxStale = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly List<(bool Refresh, TaskCompletionSource<DashboardSnapshot> Result)> _loads = [];
    private readonly DashboardSnapshotCache _cache;

    public DashboardSnapshotCacheTests() =>
        _cache = new DashboardSnapshotCache(
            (refresh, _) =>
            {
                var load = new TaskCompletionSource<DashboardSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_loads)
                {
                    _loads.Add((refresh, load));
                }

                return load.Task;
            },
            _time,
            Options.Create(new DashboardCacheOptions { Ttl = Ttl, MaxStale = MaxStale }));

    private int LoadCount
    {
        get
        {
            lock (_loads)
            {
                return _loads.Count;
            }
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task ConcurrentViews_WithNothingCached_ShareOneLoad()
    {
        var ct = TestContext.Current.CancellationToken;
        var views = Enumerable.Range(0, 50).Select(_ => _cache.LoadAsync(cancellationToken: ct)).ToArray();
        await WaitForLoadsAsync(1);

        var snapshot = Snapshot();
        Complete(0, snapshot);

        Assert.All(await Task.WhenAll(views), s => Assert.Same(snapshot, s));
        Assert.Equal(1, LoadCount);
        Assert.False(_loads[0].Refresh);
    }

    [Fact(Timeout = 30_000)]
    public async Task WithinTtl_ServesTheSnapshot_WithoutCallingTheApi()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await LoadFirstAsync(ct);

        _time.Advance(Ttl - TimeSpan.FromMilliseconds(1));

        Assert.Same(first, await _cache.LoadAsync(cancellationToken: ct));
        Assert.Equal(1, LoadCount);
    }

    [Fact(Timeout = 30_000)]
    public async Task PastTtl_ServesTheOldSnapshotAtOnce_WhileOneLoadReplacesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await LoadFirstAsync(ct);
        _time.Advance(Ttl);

        // Stale while revalidating: answered at once, however many ask, with one load behind them.
        var during = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _cache.LoadAsync(cancellationToken: ct)));
        Assert.All(during, s => Assert.Same(first, s));
        await WaitForLoadsAsync(2);
        Assert.Equal(2, LoadCount);

        var second = Snapshot();
        Complete(1, second);
        await WaitUntilAsync(async () => ReferenceEquals(await _cache.LoadAsync(cancellationToken: ct), second));
        Assert.Equal(2, LoadCount);
    }

    [Fact(Timeout = 30_000)]
    public async Task PastMaxStale_TheViewWaitsForTheNewSnapshot()
    {
        var ct = TestContext.Current.CancellationToken;
        await LoadFirstAsync(ct);
        _time.Advance(Ttl + MaxStale);

        var view = _cache.LoadAsync(cancellationToken: ct);
        await WaitForLoadsAsync(2);
        Assert.False(view.IsCompleted);

        var second = Snapshot();
        Complete(1, second);
        Assert.Same(second, await view);
    }

    [Fact(Timeout = 30_000)]
    public async Task Refresh_WithinTtl_LoadsFromTheApi_AndEveryLaterViewSeesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await LoadFirstAsync(ct);

        // The live refresh after a Try-it change must show the change, not the cached snapshot.
        var refresh = _cache.LoadAsync(refresh: true, ct);
        await WaitForLoadsAsync(2);
        Assert.True(_loads[1].Refresh);

        _time.Advance(TimeSpan.FromMilliseconds(10));
        var fresh = Snapshot();
        Complete(1, fresh);
        Assert.Same(fresh, await refresh);
        Assert.Same(fresh, await _cache.LoadAsync(cancellationToken: ct));
        Assert.Equal(2, LoadCount);
    }

    [Fact(Timeout = 30_000)]
    public async Task ACallerThatGivesUp_DoesNotCancelTheSharedLoad()
    {
        var ct = TestContext.Current.CancellationToken;
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var impatient = _cache.LoadAsync(cancellationToken: giveUp.Token);
        var patient = _cache.LoadAsync(cancellationToken: ct);
        await WaitForLoadsAsync(1);

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);

        var snapshot = Snapshot();
        Complete(0, snapshot);
        Assert.Same(snapshot, await patient);
    }

    [Fact(Timeout = 30_000)]
    public async Task AFailedLoad_IsCachedLikeAnyOther_SoADownApiIsNotHammered()
    {
        var ct = TestContext.Current.CancellationToken;
        var down = Snapshot(outage: true);
        var view = _cache.LoadAsync(cancellationToken: ct);
        await WaitForLoadsAsync(1);
        Complete(0, down);
        Assert.NotNull((await view).Outage);

        Assert.Same(down, await _cache.LoadAsync(cancellationToken: ct));
        Assert.Equal(1, LoadCount);

        // The banner's recovery: past the TTL the next view starts a new load, which finds the Api back.
        _time.Advance(Ttl);
        await _cache.LoadAsync(cancellationToken: ct);
        await WaitForLoadsAsync(2);
        var back = Snapshot();
        Complete(1, back);
        await WaitUntilAsync(async () => ReferenceEquals(await _cache.LoadAsync(cancellationToken: ct), back));
    }

    private async Task<DashboardSnapshot> LoadFirstAsync(CancellationToken ct)
    {
        var view = _cache.LoadAsync(cancellationToken: ct);
        await WaitForLoadsAsync(1);
        var snapshot = Snapshot();
        Complete(0, snapshot);
        return await view;
    }

    private void Complete(int load, DashboardSnapshot snapshot)
    {
        lock (_loads)
        {
            _loads[load].Result.SetResult(snapshot);
        }
    }

    private async Task WaitForLoadsAsync(int count) => await WaitUntilAsync(() => Task.FromResult(LoadCount >= count));

    // The cache hands the load to the thread pool; poll (real time, generous) until it has run.
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(5))
        {
            if (await condition())
            {
                return;
            }
        }

        Assert.Fail("The condition did not become true within 20 s.");
    }

    private DashboardSnapshot Snapshot(bool outage = false)
    {
        var failure = new ApiFailure(outage ? ApiFailureKind.Unreachable : ApiFailureKind.Problem, "test", "test");
        return new DashboardSnapshot(
            ApiResult.Fail<IdentityReport>(failure),
            ApiResult.Fail<RoleAssignmentsResponse>(failure),
            ApiResult.Fail<PodFacts>(failure),
            new WebReplica("web-0", "host", "1.0"),
            _time.GetUtcNow());
    }
}
