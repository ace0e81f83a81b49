using Azure.Core;

namespace RoleViewer.Api.Identity;

/// <summary>
/// The process's one credential: wraps the workload-identity credential so the doctor can report the last
/// exchange and the principal can be read from the access token's claims.
/// </summary>
public sealed class RecordingCredential(TokenCredential inner, IdentityState state, TimeProvider time) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        try
        {
            var token = await inner.GetTokenAsync(requestContext, cancellationToken);
            state.RecordSuccess(time.GetUtcNow(), token);
            return token;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            state.RecordFailure(time.GetUtcNow(), e);
            throw;
        }
    }
}

/// <summary>Stands in for the workload credential when the webhook's variables are incomplete or invalid.</summary>
public sealed class UnavailableCredential(string message) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        throw new Azure.Identity.CredentialUnavailableException(message);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        throw new Azure.Identity.CredentialUnavailableException(message);
}
