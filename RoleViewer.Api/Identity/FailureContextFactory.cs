namespace RoleViewer.Api.Identity;

/// <summary>Gathers what the pod presented, so fix texts can quote it. Only used on failures: it reads the token file.</summary>
public sealed class FailureContextFactory(WorkloadIdentitySettings settings, IdentityState state)
{
    public FailureContext Create()
    {
        var claims = settings.TokenFile is { } path ? ProjectedTokenFile.Read(path).Claims : null;
        return new FailureContext(
            settings.ClientId,
            settings.TenantId,
            settings.SubscriptionId,
            settings.PrincipalObjectIdOverride ?? state.LastSuccess?.ObjectId,
            settings.EffectiveAuthorityHost,
            claims?.Issuer,
            claims?.Subject,
            claims?.Audiences);
    }

    public UpstreamFailure Translate(Exception exception) => FailureTranslator.Translate(exception, Create());
}
