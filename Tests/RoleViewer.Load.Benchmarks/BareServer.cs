using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RoleViewer.Load.Benchmarks;

/// <summary>
/// The same-run baselines: a bare Kestrel that serves the page's own HTML as static bytes (<c>/page</c>) and a bare
/// minimal-API JSON endpoint (<c>/json</c>). Run as a separate process (this program with --bare-server) so it
/// competes for the machine as the services do.
/// </summary>
public static class BareServer
{
    public static async Task RunAsync(string url, string pageFile)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var page = await File.ReadAllBytesAsync(pageFile);
        app.MapGet("/page", () => Results.Bytes(page, "text/html; charset=utf-8"));
        app.MapGet("/json", () => new Greeting("Hello, World!"));
        app.MapGet("/alive", () => "ok");
        await app.RunAsync();
    }

    public sealed record Greeting(string Message);
}
