using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using RoleViewer.Api.Common;
using RoleViewer.Api.Identity;

namespace RoleViewer.Api.RoleAssignments;

public static class RoleAssignmentsApi
{
    public static RouteGroupBuilder MapRoleAssignmentsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/role-assignments").WithTags("RoleAssignments");
        group.MapGet("/", GetRoleAssignments)
            .WithName("GetRoleAssignments")
            .WithSummary("The role assignments of this workload's own identity in its subscription.")
            .WithDescription("Cached for a short TTL; when ARM fails the last good list is served with stale: true. " +
                             "Errors without a cached list are ProblemDetails carrying upstreamStatus and upstreamCode.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesUpstreamProblems();
        return group;
    }

    public static async Task<Results<Ok<RoleAssignmentsResponse>, ProblemHttpResult>> GetRoleAssignments(
        RoleAssignmentsService service,
        HttpContext context,
        [Description("Ask ARM now instead of serving the cached list; rate-limited.")] bool? refresh,
        CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await service.GetAsync(refresh ?? false, cancellationToken));
        }
        catch (UpstreamException e)
        {
            return ApiProblems.Upstream(context, e.Failure.ProblemStatus, e.Failure.Title,
                $"{e.Failure.Message} Fix: {e.Failure.Fix}", e.Failure.Status, e.Failure.Code);
        }
        catch (RefreshRateLimitedException e)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(e.RetryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return ApiProblems.Upstream(context, StatusCodes.Status429TooManyRequests, "Refresh rate-limited",
                $"{e.Message} Forced refreshes spend ARM's read budget; call without ?refresh=true to get the cached list.", null, null);
        }
    }
}
