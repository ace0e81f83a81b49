using System.Reflection;
using Microsoft.Extensions.Options;
using RoleViewer.Web.ApiClients;
using RoleViewer.Web.TryIt;

namespace RoleViewer.Web.Dashboard;

public sealed class DashboardLoader(RoleViewerApiClient api, EmulatorClient emulator, IOptions<EmulatorOptions> emulatorOptions, TimeProvider time)
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
        var seedState = GetSeedStateAsync(cancellationToken);
        return new DashboardSnapshot(await identity, await assignments, await pod, ThisReplica, time.GetUtcNow(), await seedState);
    }

    /// <summary>Local runs only: whether Try-it or an earlier run left the emulator's state different from its seed.</summary>
    private async Task<SeedState?> GetSeedStateAsync(CancellationToken cancellationToken) =>
        emulatorOptions.Value.Enabled ? await emulator.GetSeedStateAsync(cancellationToken) : null;

    private async Task<ApiResult<RoleAssignmentsResponse>> GetAssignmentsAsync(bool refresh, CancellationToken cancellationToken)
    {
        var result = await api.GetRoleAssignmentsAsync(refresh, cancellationToken);
        // The Api rate-limits forced refreshes (429); its cached list is then the best answer, not an error.
        return refresh && result.Failure?.Status == StatusCodes.Status429TooManyRequests
            ? await api.GetRoleAssignmentsAsync(refresh: false, cancellationToken)
            : result;
    }
}
