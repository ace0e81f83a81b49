using System.Reflection;
using Microsoft.Extensions.Options;
using RoleViewer.Web.ApiClients;
using RoleViewer.Web.TryIt;

namespace RoleViewer.Web.Dashboard;

public sealed partial class DashboardLoader(RoleViewerApiClient api, EmulatorClient emulator, IOptions<TryItOptions> tryItOptions,
    TimeProvider time, ILogger<DashboardLoader> logger)
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
        // In the snapshot, not asked per view: the Permissions panel's suggestions come from it.
        var permissions = api.GetPermissionsAsync(null, cancellationToken);
        var (list, refreshIn) = await assignments;
        var report = await identity;
        return new DashboardSnapshot(report, list, await pod, ThisReplica, time.GetUtcNow(), await seedState, refreshIn,
            await TrustedCredentialAsync(report.Value, cancellationToken), await permissions);
    }

    /// <summary>Local runs only: whether Try-it or an earlier run left the emulator's state different from its seed.</summary>
    private async Task<SeedState?> GetSeedStateAsync(CancellationToken cancellationToken) =>
        tryItOptions.Value.Enabled ? await emulator.GetSeedStateAsync(cancellationToken) : null;

    private async Task<(ApiResult<RoleAssignmentsResponse>, TimeSpan?)> GetAssignmentsAsync(bool refresh, CancellationToken cancellationToken)
    {
        var result = await api.GetRoleAssignmentsAsync(refresh, cancellationToken);
        // The Api rate-limits forced refreshes (429): its cached list is the best answer now, and the page asks again when allowed.
        return refresh && result.Failure?.Status == StatusCodes.Status429TooManyRequests
            ? (await api.GetRoleAssignmentsAsync(refresh: false, cancellationToken), result.Failure.RetryAfter ?? TimeSpan.FromSeconds(5))
            : (result, null);
    }

    /// <summary>Locally the emulator can say which subject and issuer the credential trusts, so a failed exchange shows
    /// expected beside got. In Azure the pod cannot read its identity's credentials; the page then says so.</summary>
    private async Task<FederatedCredentialInfo?> TrustedCredentialAsync(IdentityReport? identity, CancellationToken cancellationToken)
    {
        if (!tryItOptions.Value.Enabled || identity is not { ClientId: { } clientId } || !identity.Checks.Any(c => c is { Id: "tokenExchange", Status: "fail" }))
        {
            return null;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            return await emulator.FindFederatedCredentialAsync(clientId, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            // Only a nicety of local runs: the check still shows what the pod presented and the fix.
            LogTrustedCredentialUnavailable(logger, ex);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not read the federated credential from the emulator")]
    private static partial void LogTrustedCredentialUnavailable(ILogger logger, Exception exception);
}
