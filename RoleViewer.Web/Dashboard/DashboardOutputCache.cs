using Microsoft.AspNetCore.OutputCaching;
using RoleViewer.Web.Permissions;
using RoleViewer.Web.TryIt;

namespace RoleViewer.Web.Dashboard;

/// <summary>
/// The rendered page of one snapshot, per view (sort, filter, permission question), kept as long as the snapshot is: rendering the page is
/// most of its cost, and every view within the snapshot's TTL would render the same bytes. The framework's default
/// rules apply on top: only 200s, never a response that sets a cookie, never an authenticated request. The local Try-it
/// panel's forms carry no per-visitor token (its endpoints refuse cross-site posts from Fetch Metadata), so the page
/// is cached under the AppHost too.
/// </summary>
public static class DashboardOutputCache
{
    public const string PolicyName = "dashboard";

    public static IHostApplicationBuilder AddDashboardOutputCache(this IHostApplicationBuilder builder)
    {
        var ttl = builder.Configuration.GetSection(DashboardCacheOptions.SectionName).Get<DashboardCacheOptions>()?.Ttl
                  ?? new DashboardCacheOptions().Ttl;
        builder.Services.AddOutputCache(options => options.AddPolicy(PolicyName, policy =>
        {
            if (ttl <= TimeSpan.Zero)
            {
                policy.NoCache();
                return;
            }

            policy.Expire(ttl).SetVaryByQuery([.. AssignmentQuery.QueryKeys, .. PermissionQuery.QueryKeys, TryItPanel.ResetQueryKey]);
        }));
        return builder;
    }
}
