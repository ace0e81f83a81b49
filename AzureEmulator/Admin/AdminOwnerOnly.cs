using System.Net;
using System.Security.Cryptography;
using System.Text;
using AzureEmulator.Hosting;
using Microsoft.Extensions.Options;

namespace AzureEmulator.Admin;

/// <summary>
/// The admin API mints Owner tokens and rewrites role assignments, so it answers only its owner: the caller must
/// present the per-run key the AppHost generated (header <see cref="HeaderName"/>), call from this machine, and name
/// a loopback host in the Host header (a page on another origin that rebinds DNS to 127.0.0.1 sends its own name).
/// </summary>
public static class AdminOwnerOnly
{
    public const string HeaderName = "Emulator-Admin-Key";

    public static ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var expected = http.RequestServices.GetRequiredService<IOptions<EmulatorOptions>>().Value.AdminKey;
        if (!KeyMatches(expected, http.Request.Headers[HeaderName].ToString()))
        {
            http.Response.Headers.WWWAuthenticate = HeaderName;
            return Refuse(StatusCodes.Status401Unauthorized, "Admin key required",
                expected is null
                    ? "This emulator has no admin key (Emulator:AdminKey), so its admin API is off. The AppHost generates one per run."
                    : $"Send the emulator's per-run admin key in the {HeaderName} header. The AppHost generated it: the Aspire dashboard shows it " +
                      "as the secret parameter emulator-admin-key.");
        }

        var remote = http.Connection.RemoteIpAddress;
        if (remote is not null && !IPAddress.IsLoopback(remote))
        {
            return Refuse(StatusCodes.Status403Forbidden, "Admin API is loopback-only",
                "The emulator's admin API answers only callers on this machine (127.0.0.1 / ::1).");
        }

        if (!IsLoopbackHost(http.Request.Host.Host))
        {
            return Refuse(StatusCodes.Status403Forbidden, "Admin API answers loopback host names only",
                "Call the admin API as localhost, 127.0.0.1 or [::1]; other Host headers are refused.");
        }

        return next(context);
    }

    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static bool KeyMatches(string? expected, string presented) =>
        expected is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));

    private static ValueTask<object?> Refuse(int status, string title, string detail) =>
        ValueTask.FromResult<object?>(TypedResults.Problem(title: title, detail: detail, statusCode: status));
}
