using System.Globalization;

namespace RoleViewer.Web.Dashboard;

/// <summary>
/// Says in words why the Api served its last good list. Built from the upstream code and status only: the upstream's
/// own message can carry exception text and internal addresses, which the page must not show.
/// </summary>
public static class StaleReason
{
    public static string Describe(UpstreamErrorDto error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return (error.Code, error.Status) switch
        {
            ("RefreshPending", _) => "Azure Resource Manager has not answered yet (it is slow or hanging); the refresh goes on in the background",
            ("Timeout", _) => "Azure did not answer in time",
            ("ConnectionFailed", _) => "Azure could not be reached (connection failed)",
            ("UntrustedRoot" or "TlsHandshakeFailed", _) => "the TLS handshake with Azure failed",
            ("CredentialUnavailable" or "TokenFileUnreadable" or "SubscriptionNotConfigured", _) => "workload identity is not configured",
            (var code, var status) when code.StartsWith("AADSTS", StringComparison.Ordinal) =>
                $"Entra ID refused the token exchange with {code}{Http(status)}",
            (_, 429) => "Azure Resource Manager is throttling this identity (HTTP 429 Too Many Requests)",
            (_, 503) => "Azure is unavailable (HTTP 503 Service Unavailable)",
            (_, 500) => "Azure failed with an internal error (HTTP 500)",
            (_, >= 500 and var status) => $"Azure failed (HTTP {status.ToString(CultureInfo.InvariantCulture)})",
            (_, 401 or 403) => "Azure refused the request (not authorised)",
            (var code, var status) => $"Azure answered {code}{Http(status)}",
        };
    }

    private static string Http(int? status) => status is { } s ? $" (HTTP {s.ToString(CultureInfo.InvariantCulture)})" : "";
}
