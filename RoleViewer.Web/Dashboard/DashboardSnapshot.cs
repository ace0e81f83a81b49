using RoleViewer.Web.ApiClients;
using RoleViewer.Web.TryIt;

namespace RoleViewer.Web.Dashboard;

/// <summary>
/// Everything the page shows, loaded together so one render is one consistent picture. EmulatorState: local runs
/// only, whether the emulator's roles, groups and federation differ from its seed.
/// </summary>
public sealed record DashboardSnapshot(
    ApiResult<IdentityReport> Identity,
    ApiResult<RoleAssignmentsResponse> RoleAssignments,
    ApiResult<PodFacts> Pod,
    WebReplica Web,
    DateTimeOffset LoadedAt,
    SeedState? EmulatorState = null)
{
    /// <summary>The first failure that means the Api itself is out of reach (drives the page banner).</summary>
    public ApiFailure? Outage =>
        new[] { Identity.Failure, RoleAssignments.Failure, Pod.Failure }.FirstOrDefault(f => f is { IsOutage: true });
}

/// <summary>Which web replica rendered the page: with several pods, this is how a reader tells them apart.</summary>
public sealed record WebReplica(string PodName, string HostName, string AppVersion);
