using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using RoleViewer.Web.Permissions;

namespace RoleViewer.Web.Dashboard;

public static class DashboardEndpoints
{
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardOptions>()
            .BindConfiguration(DashboardOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<DashboardLoader>();
        builder.Services.AddOptions<DashboardCacheOptions>()
            .BindConfiguration(DashboardCacheOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new DashboardSnapshotCache(
            async (refresh, cancellationToken) =>
            {
                // The loader's typed Api client is transient: a scope per load lets the client factory rotate handlers.
                await using var scope = sp.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<DashboardLoader>().LoadAsync(refresh, cancellationToken);
            },
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<DashboardCacheOptions>>()));
        builder.AddDashboardOutputCache();
        return builder;
    }

    /// <summary>The live regions of the page as an HTML fragment; live.js fetches it and patches the page.</summary>
    public static IEndpointRouteBuilder MapDashboardFragments(this IEndpointRouteBuilder app)
    {
        app.MapGet("/fragments/dashboard", GetDashboardFragment)
            .WithName("DashboardFragment")
            .WithSummary("The page's live regions, rendered with the current Api data.");
        return app;
    }

    private static async Task<RazorComponentResult<DashboardView>> GetDashboardFragment(
        [AsParameters] AssignmentQuery query, [AsParameters] PermissionQuery permissions, [FromQuery] bool? refresh, DashboardSnapshotCache loader, IOptions<DashboardOptions> options,
        HttpContext context, CancellationToken cancellationToken)
    {
        var snapshot = await loader.LoadAsync(refresh == true, cancellationToken);
        // The fragment is always fresh data: never let a proxy or the browser serve an old one.
        context.Response.Headers.CacheControl = "no-store";
        return new RazorComponentResult<DashboardView>(new
        {
            Snapshot = snapshot,
            Query = query,
            RefreshSeconds = options.Value.RefreshSeconds,
            Permissions = permissions,
        });
    }
}
