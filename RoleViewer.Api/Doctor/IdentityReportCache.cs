using Microsoft.Extensions.Options;
using RoleViewer.Api.Identity;
using RoleViewer.Api.RoleAssignments;

namespace RoleViewer.Api.Doctor;

/// <summary>
/// The doctor's report between probes: a page under load asks for it hundreds of times a second, and the diagnosis
/// (files, claims, two checks against cached exchanges and listings) gives the same answer until one of its inputs
/// changes. One diagnosis runs at a time; a forced probe always diagnoses anew and replaces the cached report.
/// </summary>
public sealed class IdentityReportCache(
    IdentityDoctor doctor,
    IdentityProbe probe,
    IdentityState state,
    RoleAssignmentsService listings,
    WorkloadIdentitySettings settings,
    IOptions<IdentityOptions> options,
    TimeProvider time)
{
    private readonly Lock _gate = new();
    private Cached? _cached;
    private Task<IdentityReport>? _running;

    private sealed record Cached(IdentityReport Report, Inputs Inputs, DateTimeOffset At);

    /// <summary>What the report is made of; a change in any of them is a new report.</summary>
    private sealed record Inputs(object? Probe, object? Exchange, object? Listing, object? ListingFailure, DateTime TokenFileWritten);

    public Task<IdentityReport> GetAsync(bool forceProbe, CancellationToken cancellationToken)
    {
        if (forceProbe)
        {
            return DiagnoseAndStoreAsync(forceProbe: true).WaitAsync(cancellationToken);
        }

        Task<IdentityReport> running;
        lock (_gate)
        {
            if (_cached is { } cached && time.GetUtcNow() - cached.At < options.Value.ReportCacheTtl && cached.Inputs == CurrentInputs())
            {
                return Task.FromResult(cached.Report);
            }

            running = _running ??= DiagnoseAndStoreAsync(forceProbe: false);
        }

        // Shared: a caller that gives up must not cancel the diagnosis for the others.
        return running.WaitAsync(cancellationToken);
    }

    private async Task<IdentityReport> DiagnoseAndStoreAsync(bool forceProbe)
    {
        // Leave the caller's lock before diagnosing.
        await Task.Yield();
        try
        {
            var report = await doctor.DiagnoseAsync(forceProbe, CancellationToken.None);
            // Read after the diagnosis, which may itself have probed or listed: the report reflects those.
            var inputs = CurrentInputs();
            lock (_gate)
            {
                _cached = new Cached(report, inputs, time.GetUtcNow());
            }

            return report;
        }
        finally
        {
            if (!forceProbe)
            {
                lock (_gate)
                {
                    _running = null;
                }
            }
        }
    }

    private Inputs CurrentInputs() => new(
        probe.Last, state.Last, listings.LastGood, listings.LastFailure,
        settings.TokenFile is { } file ? File.GetLastWriteTimeUtc(file) : default);
}
