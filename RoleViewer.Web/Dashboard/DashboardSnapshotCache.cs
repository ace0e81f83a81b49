using Microsoft.Extensions.Options;

namespace RoleViewer.Web.Dashboard;

/// <summary>
/// One <see cref="DashboardSnapshot"/> for every concurrent page view: at most one load from the Api runs at a time
/// (single flight), its result serves everyone for <see cref="DashboardCacheOptions.Ttl"/>, and for up to
/// <see cref="DashboardCacheOptions.MaxStale"/> after that the old one is served while the next loads (stale while
/// revalidating), unless it shows the Api out of reach. A forced refresh (after a Try-it change) always loads anew and replaces what everyone sees.
/// </summary>
public sealed class DashboardSnapshotCache(
    Func<bool, CancellationToken, Task<DashboardSnapshot>> load,
    TimeProvider time,
    IOptions<DashboardCacheOptions> options)
{
    private readonly Lock _gate = new();
    private Entry? _current;
    private Task<DashboardSnapshot>? _loading;

    private sealed record Entry(DashboardSnapshot Snapshot, DateTimeOffset LoadedAt);

    /// <param name="refresh">Ask the Api to re-read Azure now, bypassing this cache and the Api's (Try-it).</param>
    /// <param name="cancellationToken">Stops this caller waiting; the shared load goes on for the others.</param>
    public Task<DashboardSnapshot> LoadAsync(bool refresh = false, CancellationToken cancellationToken = default)
    {
        if (refresh)
        {
            return LoadAndStoreAsync(refresh: true).WaitAsync(cancellationToken);
        }

        Task<DashboardSnapshot> waitFor;
        lock (_gate)
        {
            var age = _current is { } current ? time.GetUtcNow() - current.LoadedAt : TimeSpan.MaxValue;
            if (age < options.Value.Ttl)
            {
                return Task.FromResult(_current!.Snapshot);
            }

            _loading ??= LoadAndStoreAsync(refresh: false);
            // An outage is never served stale: past its TTL the view waits for the load that may find the Api back.
            if (age < options.Value.Ttl + options.Value.MaxStale && _current!.Snapshot.Outage is null)
            {
                return Task.FromResult(_current!.Snapshot);
            }

            waitFor = _loading;
        }

        return waitFor.WaitAsync(cancellationToken);
    }

    private async Task<DashboardSnapshot> LoadAndStoreAsync(bool refresh)
    {
        // Leave the caller's lock before the Api is called.
        await Task.Yield();
        try
        {
            // Never the caller's token: the load is shared, and the Api client has its own time budget.
            var snapshot = await load(refresh, CancellationToken.None);
            lock (_gate)
            {
                if (_current is null || snapshot.LoadedAt >= _current.Snapshot.LoadedAt)
                {
                    _current = new Entry(snapshot, time.GetUtcNow());
                }
            }

            return snapshot;
        }
        finally
        {
            if (!refresh)
            {
                lock (_gate)
                {
                    _loading = null;
                }
            }
        }
    }
}
