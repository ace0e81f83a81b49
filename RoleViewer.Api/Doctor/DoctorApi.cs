using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;

namespace RoleViewer.Api.Doctor;

/// <summary>GET /api/identity: the doctor's report.</summary>
public static class DoctorApi
{
    public static RouteGroupBuilder MapDoctorApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/identity").WithTags("Identity");
        group.MapGet("/", GetIdentity)
            .WithName("GetIdentity")
            .WithSummary("Diagnoses the workload identity, step by step, with a fix for each failing step.")
            .WithDescription("Always 200, even when broken: the body is the diagnosis. Never contains a token. " +
                             "The token exchange is verified by a fresh exchange at most every Identity:ProbeInterval; ?probe=true verifies it now " +
                             "(at most once per 5 s, else the latest result is reported).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return group;
    }

    public static async Task<Ok<IdentityReport>> GetIdentity(
        IdentityReportCache doctor,
        [Description("Verify the federation with a fresh token exchange now, e.g. right after changing it; rate-limited.")] bool? probe,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await doctor.GetAsync(probe ?? false, cancellationToken));
}
