using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AzureEmulator.Hosting;

/// <summary>
/// The https origin clients reach the emulator on: Emulator:PublicOrigin when set (the AppHost's endpoint),
/// otherwise the https address Kestrel bound, which with port 0 is known only once the server has started.
/// </summary>
public sealed class EmulatorOrigin(IOptions<EmulatorOptions> options, IServer server)
{
    private Uri? _resolved;

    public Uri Value => _resolved ??= Resolve();

    private Uri Resolve()
    {
        if (options.Value.PublicOrigin is { } configured)
        {
            return new Uri(configured.GetLeftPart(UriPartial.Authority));
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var https = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException(
                "The emulator has no https endpoint yet, so it cannot tell clients its origin. Start it with an https URL " +
                "(ASPNETCORE_URLS=\"https://localhost:5443;http://localhost:5190\") or set Emulator__PublicOrigin.");

        // Wildcard bindings are not addresses a client can use; the certificate covers localhost.
        var uri = new UriBuilder(https.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }

        return new Uri(uri.Uri.GetLeftPart(UriPartial.Authority));
    }

    /// <summary>The origin as a string without a trailing slash, e.g. https://localhost:5443.</summary>
    public override string ToString() => Value.GetLeftPart(UriPartial.Authority);
}
