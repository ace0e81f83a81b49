extern alias web;

using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace RoleViewer.Web.Tests.Infrastructure;

/// <summary>RoleViewer.Web in-process on a real Kestrel port (so Chromium can reach it), its api pointed at a fake.</summary>
public sealed class RoleViewerWebFactory : WebApplicationFactory<web::Program>
{
    private readonly Dictionary<string, string?> _settings;

    private readonly string _environment;

    private RoleViewerWebFactory(Dictionary<string, string?> settings, string environment)
    {
        _settings = settings;
        _environment = environment;
    }

    public Uri Url => ClientOptions.BaseAddress;

    /// <param name="emulator">Where Try-it's emulator calls go; null leaves Try-it off, as outside local runs.</param>
    public static RoleViewerWebFactory Start(FakeRoleViewerApi api, string? emulator = null, string? apiUrl = null)
    {
        var factory = new RoleViewerWebFactory(new()
        {
            // What the AppHost's WithReference(api) sets: service discovery resolves https+http://api to it.
            ["services:api:http:0"] = apiUrl ?? api.Url,
            ["Dashboard:RefreshSeconds"] = "2",
            // Generous: Chromium, the fakes and other test processes share 2 cores; the fake answers at once when healthy.
            ["Api:Timeout"] = "00:00:10",
            ["TryIt:Endpoint"] = emulator,
            ["TryIt:AdminKey"] = emulator is null ? null : api.AdminKey,
        },
        // Try-it runs only in Development (local runs); the page otherwise as in production.
        emulator is null ? "Production" : "Development");
        // Not UseKestrel(0): that overload rewrites the server addresses after the app has started binding, a race
        // with Kestrel that fails as "Addresses cannot be modified after the server has started" (dotnet/aspnetcore#67714).
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return factory;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        // Outside Development, blazor.web.js and the fingerprinted assets come from the build's manifest only when asked.
        builder.UseStaticWebAssets();
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
    }
}
