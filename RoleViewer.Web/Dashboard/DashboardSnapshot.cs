using RoleViewer.Web.ApiClients;
using RoleViewer.Web.TryIt;

namespace RoleViewer.Web.Dashboard;

/// <summary>Everything the page shows, loaded together so one render is one consistent picture.</summary>
/// <param name="EmulatorState">Local runs only: whether the emulator's roles, groups and federation differ from its seed.</param>
/// <param name="RefreshIn">A forced refresh the Api deferred (its rate limit): the list shown is its cached one, and the page asks again after this.</param>
/// <param name="TrustedCredential">Local runs only: the federated credential the emulator holds, shown beside what the pod presents when the exchange fails.</param>
public sealed record DashboardSnapshot(
    ApiResult<IdentityReport> Identity,
    ApiResult<RoleAssignmentsResponse> RoleAssignments,
    ApiResult<PodFacts> Pod,
    WebReplica Web,
    DateTimeOffset LoadedAt,
    SeedState? EmulatorState = null,
    TimeSpan? RefreshIn = null,
    FederatedCredentialInfo? TrustedCredential = null,
    ApiResult<EffectivePermissionsResponse>? Permissions = null)
{
    /// <summary>The first failure that means the Api itself is out of reach (drives the page banner).</summary>
    public ApiFailure? Outage =>
        new[] { Identity.Failure, RoleAssignments.Failure, Pod.Failure }.FirstOrDefault(f => f is { IsOutage: true });
}

/// <summary>Which web replica rendered the page: with several pods, this is how a reader tells them apart.</summary>
public sealed record WebReplica(string PodName, string HostName, string AppVersion);
