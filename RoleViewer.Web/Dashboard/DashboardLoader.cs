using System.Reflection;
using RoleViewer.Web.ApiClients;

namespace RoleViewer.Web.Dashboard;

public sealed class DashboardLoader(RoleViewerApiClient api, TimeProvider time)
{
    private static readonly WebReplica ThisReplica = new(
        Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName,
        Environment.MachineName,
        typeof(DashboardLoader).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");

    /// <param name="refresh">Ask the Api to re-read Azure rather than serve its cache (after a Try-it change).</param>
    public async Task<DashboardSnapshot> LoadAsync(bool refresh = false, CancellationToken cancellationToken = default)
    {
        // In parallel: the page costs one Api round trip, not three.
        var identity = api.GetIdentityAsync(cancellationToken: cancellationToken);
        var assignments = GetAssignmentsAsync(refresh, cancellationToken);
        var pod = api.GetPodAsync(cancellationToken);
        return new DashboardSnapshot(await identity, await assignments, await pod, ThisReplica, time.GetUtcNow());
    }

    private async Task<ApiResult<RoleAssignmentsResponse>> GetAssignmentsAsync(bool refresh, CancellationToken cancellationToken)
    {
        var result = await api.GetRoleAssignmentsAsync(refresh, cancellationToken);
        // The Api rate-limits forced refreshes (429); its cached list is then the best answer, not an error.
        return refresh && result.Failure?.Status == StatusCodes.Status429TooManyRequests
            ? await api.GetRoleAssignmentsAsync(refresh: false, cancellationToken)
            : result;
    }
}
