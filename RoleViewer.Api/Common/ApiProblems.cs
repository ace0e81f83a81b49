using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace RoleViewer.Api.Common;

/// <summary>The ProblemDetails the endpoints answer with; the extension names are <see cref="ApiProblem"/>'s, which the Web reads.</summary>
public static class ApiProblems
{
    /// <summary>Declares, for OpenAPI, the answers of an endpoint with nothing to serve when Entra or ARM fails: 502, 503 and 504.</summary>
    public static RouteHandlerBuilder ProducesUpstreamProblems(this RouteHandlerBuilder builder) =>
        builder
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

    /// <summary>A problem of the request itself (400): only the trace id is added.</summary>
    public static ProblemHttpResult Request(HttpContext context, int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Extensions = { [ApiProblem.TraceIdKey] = TraceId(context) },
        });

    /// <summary>Nothing to serve because Entra or ARM failed (or a rate limit): the upstream's status and code, null when none.</summary>
    public static ProblemHttpResult Upstream(HttpContext context, int status, string title, string detail, int? upstreamStatus, string? upstreamCode) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Extensions =
            {
                [ApiProblem.UpstreamStatusKey] = upstreamStatus,
                [ApiProblem.UpstreamCodeKey] = upstreamCode,
                [ApiProblem.TraceIdKey] = TraceId(context),
            },
        });

    private static string TraceId(HttpContext context) => Activity.Current?.Id ?? context.TraceIdentifier;
}
