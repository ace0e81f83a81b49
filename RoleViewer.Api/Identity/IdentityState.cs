using Azure.Core;

namespace RoleViewer.Api.Identity;

/// <summary>The outcome of the latest token exchange of the process's credential, kept for the identity doctor. Never holds a token.</summary>
public sealed class IdentityState
{
    private volatile Snapshot? _last;

    public sealed record Snapshot(
        DateTimeOffset At,
        Exception? Error,
        DateTimeOffset? ExpiresOn,
        string? ObjectId,
        string? TenantId,
        string? AppId);

    public Snapshot? Last => _last;

    /// <summary>The claims of the last token that carried an object id; kept when a later acquisition fails.</summary>
    public Snapshot? LastSuccess { get; private set; }

    public void RecordSuccess(DateTimeOffset at, AccessToken token)
    {
        // Azure.Identity serves its cached token until renewal; the same expiry means no exchange took place, and
        // the doctor must not report the cached token as a fresh exchange.
        if (_last is { Error: null } last && last.ExpiresOn == token.ExpiresOn)
        {
            return;
        }

        var claims = JwtClaims.TryParse(token.Token, out var parsed) ? parsed : null;
        var snapshot = new Snapshot(at, null, token.ExpiresOn,
            claims?.GetString("oid"), claims?.GetString("tid"), claims?.GetString("appid") ?? claims?.GetString("azp"));
        LastSuccess = snapshot;
        _last = snapshot;
    }

    public void RecordFailure(DateTimeOffset at, Exception error) => _last = new Snapshot(at, error, null, null, null, null);
}
