using Microsoft.AspNetCore.Http.HttpResults;
using RoleViewer.Api.Identity;

namespace RoleViewer.Api.Apis;

public static class IdentityApi
{
    public static RouteGroupBuilder MapIdentityApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/identity").WithTags("Identity");
        group.MapGet("/", GetIdentity)
            .WithName("GetIdentity")
            .WithSummary("Diagnoses the workload identity, step by step, with a fix for each failing step.")
            .WithDescription("Always 200, even when broken: the body is the diagnosis. Never contains a token.");
        return group;
    }

    public static async Task<Ok<IdentityReport>> GetIdentity(IdentityDoctor doctor, CancellationToken cancellationToken) =>
        TypedResults.Ok(await doctor.DiagnoseAsync(cancellationToken));
}
