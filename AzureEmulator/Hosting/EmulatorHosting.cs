using System.Net;
using AzureEmulator.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace AzureEmulator.Hosting;

/// <summary>
/// HTTPS with a certificate the clients on this OS trust (see <see cref="ServerCertificateChoice"/>), and a plain-http
/// endpoint that serves only the health probes.
/// </summary>
public static class EmulatorHosting
{
    public static WebApplicationBuilder AddEmulatorHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmulatorOptions>().BindConfiguration(EmulatorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<EmulatorOrigin>();

        builder.Services.AddSingleton(sp => LocalCertificateAuthority.LoadOrCreate(
            sp.GetRequiredService<IOptions<EmulatorOptions>>().Value.StateDirectory, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => EmulatorServerCertificate.Select(
            ServerCertificateChoice.CurrentOs(),
            sp.GetRequiredService<LocalCertificateAuthority>(),
            () => DevelopmentCertificate.FindInCurrentUserStore(sp.GetRequiredService<TimeProvider>().GetUtcNow())));
        builder.Services.AddOptions<KestrelServerOptions>().Configure<EmulatorServerCertificate>((kestrel, server) =>
        {
            kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = server.Certificate);
            // It mints tokens for anyone who asks: it must not be reachable from another machine, whatever the URLs say.
            kestrel.ConfigureEndpointDefaults(RefuseNonLoopback);
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        return builder;
    }

    /// <summary>Nothing the emulator accepts comes near this; bigger bodies are refused with 413 before they are read.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    private static void RefuseNonLoopback(ListenOptions listen)
    {
        if (listen.IPEndPoint is { } endpoint && !IPAddress.IsLoopback(endpoint.Address))
        {
            throw new InvalidOperationException(
                $"The emulator refuses to listen on {endpoint}: it issues tokens and changes role assignments for any caller, so it binds " +
                "loopback addresses only. Use https://localhost:<port> or https://127.0.0.1:<port> in ASPNETCORE_URLS / --urls.");
        }
    }

    public static WebApplication UseEmulatorHosting(this WebApplication app)
    {
        var authority = app.Services.GetRequiredService<LocalCertificateAuthority>();
        var server = app.Services.GetRequiredService<EmulatorServerCertificate>();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var origin = app.Services.GetRequiredService<EmulatorOrigin>().ToString();
            HostingLog.EmulatorStarted(app.Logger, authority.CaCertificatePath, authority.TrustDirectory, origin);
            HostingLog.ServerCertificateChosen(app.Logger, server.Choice, server.Certificate);
        });

        // Tokens must never travel in clear text; the http endpoint exists only so the AppHost's health check needs no trust set-up.
        app.Use((context, next) =>
        {
            if (context.Request.IsHttps
                || context.Request.Path.StartsWithSegments(Extensions.HealthEndpointPath)
                || context.Request.Path.StartsWithSegments(Extensions.AlivenessEndpointPath))
            {
                return next(context);
            }

            return TypedResults.Problem(
                title: "HTTPS required",
                detail: "This plain-http endpoint serves only /health and /alive. Use the emulator's https origin " +
                        (server.Choice.Kind == ServerCertificateKind.EmulatorCa
                            ? $"and trust its CA ({authority.CaCertificatePath})."
                            : $"(it serves the ASP.NET Core HTTPS development certificate; '{ServerCertificateChoice.TrustDevelopmentCertificate}' trusts it)."),
                statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context);
        });
        return app;
    }
}
