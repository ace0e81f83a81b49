using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RoleViewer.Api.RoleAssignments;
using RoleViewer.Api.Upstream;

namespace RoleViewer.Api.Apis;

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
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
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
            return Problem(context, e.Failure.ProblemStatus, e.Failure.Title,
                $"{e.Failure.Message} Fix: {e.Failure.Fix}", e.Failure.Status, e.Failure.Code);
        }
        catch (RefreshRateLimitedException e)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(e.RetryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Problem(context, StatusCodes.Status429TooManyRequests, "Refresh rate-limited",
                $"{e.Message} Forced refreshes spend ARM's read budget; call without ?refresh=true to get the cached list.", null, null);
        }
    }

    private static ProblemHttpResult Problem(HttpContext context, int status, string title, string detail, int? upstreamStatus, string? upstreamCode) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Extensions =
            {
                [ApiProblem.UpstreamStatusKey] = upstreamStatus,
                [ApiProblem.UpstreamCodeKey] = upstreamCode,
                [ApiProblem.TraceIdKey] = Activity.Current?.Id ?? context.TraceIdentifier,
            },
        });
}
