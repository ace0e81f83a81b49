using Microsoft.AspNetCore.OutputCaching;
using RoleViewer.Web.Permissions;
using RoleViewer.Web.TryIt;

namespace RoleViewer.Web.Dashboard;

/// <summary>
/// The rendered page of one snapshot, per view (sort, filter, permission question), kept as long as the snapshot is: rendering the page is
/// most of its cost, and every view within the snapshot's TTL would render the same bytes. The framework's default
/// rules apply on top: only 200s, never a response that sets a cookie, never an authenticated request. With the local
/// Try-it panel on, nothing is cached: its forms carry the visitor's own antiforgery token.
/// </summary>
public static class DashboardOutputCache
{
    public const string PolicyName = "dashboard";

    public static IHostApplicationBuilder AddDashboardOutputCache(this IHostApplicationBuilder builder)
    {
        var ttl = builder.Configuration.GetSection(DashboardCacheOptions.SectionName).Get<DashboardCacheOptions>()?.Ttl
                  ?? new DashboardCacheOptions().Ttl;
        var tryIt = builder.Configuration.GetSection(TryItOptions.SectionName).Get<TryItOptions>()?.Enabled == true;
        builder.Services.AddOutputCache(options => options.AddPolicy(PolicyName, policy =>
        {
            if (tryIt || ttl <= TimeSpan.Zero)
            {
                policy.NoCache();
                return;
            }

            policy.Expire(ttl).SetVaryByQuery([.. AssignmentQuery.QueryKeys, .. PermissionQuery.QueryKeys]);
        }));
        return builder;
    }
}
