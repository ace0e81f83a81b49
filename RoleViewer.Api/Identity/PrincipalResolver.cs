using Azure.Core;
using RoleViewer.Api.Arm;

namespace RoleViewer.Api.Identity;

public sealed record PrincipalInfo(string ObjectId, string? ClientId, string? TenantId);

/// <summary>
/// Who this workload is, taken from its own access token (oid, tid, appid), so no caller can choose the principal.
/// </summary>
public sealed class PrincipalResolver(
    TokenCredential credential,
    IdentityState state,
    WorkloadIdentitySettings settings,
    FailureContextFactory failures,
    TimeProvider time,
    ArmEndpoint arm)
{
    /// <summary>
    /// A failed exchange is not retried sooner: a page polling the doctor or the listing must not turn a broken
    /// set-up into a stream of token requests to Entra. A fix is picked up within this time.
    /// </summary>
    public static readonly TimeSpan RetryFailedExchangeAfter = TimeSpan.FromSeconds(5);

    public async Task<PrincipalInfo> GetAsync(CancellationToken cancellationToken)
    {
        if (settings.PrincipalObjectIdOverride is { } overridden)
        {
            return new(overridden, settings.ClientId, settings.TenantId);
        }

        if (state.LastSuccess is not { ObjectId: not null })
        {
            if (state.Last is { Error: { } error } failed && time.GetUtcNow() - failed.At < RetryFailedExchangeAfter)
            {
                throw new UpstreamException(failures.Translate(error), error);
            }

            // ARM's own token request, so this exchange and the ARM client's calls share one cached token.
            await credential.GetTokenAsync(arm.TokenRequest, cancellationToken);
        }

        return state.LastSuccess is { ObjectId: { } oid } token
            ? new(oid, token.AppId ?? settings.ClientId, token.TenantId ?? settings.TenantId)
            : throw new UpstreamException(new UpstreamFailure(UpstreamSource.Entra, null, "NoObjectIdClaim",
                "The access token carries no oid claim, so the principal's object id is unknown.",
                $"Set {WorkloadIdentitySettings.PrincipalObjectIdVariable} to the object id of the identity's service principal."), null);
    }
}
