using AzureEmulator.Diagnostics;
using AzureEmulator.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AzureEmulator.Admin;

/// <summary>The emulator's own control surface: counters and fault injection. Its owner only (<see cref="AdminOwnerOnly"/>).</summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/admin").WithTags("Admin").AddEndpointFilter(AdminOwnerOnly.Filter);

        admin.MapGet("/counters", (EmulatorMetrics metrics) => TypedResults.Ok(metrics.Snapshot()));
        admin.MapDelete("/counters", (EmulatorMetrics metrics) =>
        {
            metrics.Reset();
            return TypedResults.NoContent();
        });

        admin.MapGet("/faults/{target}", GetFaults);
        admin.MapPut("/faults/{target}", PutFaults);
        admin.MapDelete("/faults/{target}", DeleteFaults);

        return admin;
    }

    private static Results<Ok<FaultSettings>, ProblemHttpResult> GetFaults(string target, FaultInjector faults) =>
        TryParseTarget(target, out var t) ? TypedResults.Ok(faults.Get(t)) : UnknownTarget(target);

    private static Results<Ok<FaultSettings>, ProblemHttpResult> PutFaults(string target, FaultSettings settings, FaultInjector faults)
    {
        if (!TryParseTarget(target, out var t))
        {
            return UnknownTarget(target);
        }

        var errors = settings.Validate().ToArray();
        if (errors.Length > 0)
        {
            return TypedResults.Problem(title: "Invalid fault settings", detail: string.Join(" ", errors), statusCode: StatusCodes.Status400BadRequest);
        }

        faults.Set(t, settings);
        return TypedResults.Ok(settings);
    }

    private static Results<NoContent, ProblemHttpResult> DeleteFaults(string target, FaultInjector faults)
    {
        if (!TryParseTarget(target, out var t))
        {
            return UnknownTarget(target);
        }

        faults.Clear(t);
        return TypedResults.NoContent();
    }

    private static bool TryParseTarget(string value, out FaultTarget target) =>
        Enum.TryParse(value, ignoreCase: true, out target) && Enum.IsDefined(target);

    private static ProblemHttpResult UnknownTarget(string target) => TypedResults.Problem(
        title: "Unknown fault target",
        detail: $"'{target}' is not a fault target; use 'token' (Entra token endpoint) or 'arm' (Azure Resource Manager).",
        statusCode: StatusCodes.Status404NotFound);
}
