using System.Reflection;
using RoleViewer.Web.ApiClients;

namespace RoleViewer.Web.Dashboard;

public sealed class DashboardLoader(RoleViewerApiClient api, TimeProvider time)
{
    private static readonly WebReplica ThisReplica = new(
        Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName,
        Environment.MachineName,
        typeof(DashboardLoader).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");

    public async Task<DashboardSnapshot> LoadAsync(CancellationToken cancellationToken = default)
    {
        // In parallel: the page costs one Api round trip, not three.
        var identity = api.GetIdentityAsync(cancellationToken);
        var assignments = api.GetRoleAssignmentsAsync(cancellationToken: cancellationToken);
        var pod = api.GetPodAsync(cancellationToken);
        return new DashboardSnapshot(await identity, await assignments, await pod, ThisReplica, time.GetUtcNow());
    }
}
