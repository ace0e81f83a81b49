using Microsoft.AspNetCore.Http.HttpResults;

namespace AzureEmulator.Arm;

/// <summary>Admin additions for ARM: bulk data for benchmarks, the page size, and fresh throttling buckets.</summary>
public static class ArmAdminApi
{
    /// <summary>Marks assignments made by the bulk endpoint, so that they can be removed again in one call.</summary>
    public const string BulkDescription = "Created by POST /admin/arm/bulk-assignments";

    public static RouteGroupBuilder MapArmAdmin(this RouteGroupBuilder admin)
    {
        var arm = admin.MapGroup("/arm");
        arm.MapPost("/bulk-assignments", AddBulk);
        arm.MapDelete("/bulk-assignments", RemoveBulk);
        arm.MapGet("/settings", (ArmPaging paging) => TypedResults.Ok(new ArmSettings(paging.PageSize)));
        arm.MapPut("/settings", PutSettings);
        arm.MapDelete("/throttle", (ArmThrottle throttle) =>
        {
            throttle.Reset();
            return TypedResults.NoContent();
        });
        return admin;
    }

    private static Results<Ok<BulkAssignmentsResult>, ProblemHttpResult> AddBulk(BulkAssignmentsRequest request, AuthorizationStore store, TimeProvider time)
    {
        var state = store.Snapshot;
        if (request.Count is < 1 or > 100_000)
        {
            return Invalid("count must be between 1 and 100000.");
        }

        if (!ArmScope.TryParse(request.Scope, out var scope) || scope.SubscriptionId is null)
        {
            return Invalid($"scope '{request.Scope}' is not a subscription, resource group or resource scope, e.g. /subscriptions/<id>.");
        }

        if (RoleAssignmentValidation.PrincipalTypeError(request.PrincipalType) is { } principalType)
        {
            return Invalid(principalType.Message);
        }

        var roleId = request.RoleDefinitionId ?? Guid.Parse("acdd72a7-3385-48ef-bd42-f606fba81ae7");
        if (!state.Definitions.ContainsKey(roleId))
        {
            return Invalid($"No role definition has id {roleId}; GET {scope}/providers/Microsoft.Authorization/roleDefinitions lists them.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var created = store.AddMany(Enumerable.Range(0, request.Count).Select(_ => new RoleAssignmentRecord
        {
            Name = Guid.NewGuid(),
            Scope = scope.Value,
            RoleDefinitionId = roleId,
            // A fresh principal each: the same principal, role and scope may be assigned only once.
            PrincipalId = Guid.NewGuid(),
            PrincipalType = request.PrincipalType ?? "ServicePrincipal",
            Description = BulkDescription,
            CreatedOn = now,
            UpdatedOn = now,
        }));
        return TypedResults.Ok(new BulkAssignmentsResult(created, store.Snapshot.Assignments.Length));
    }

    private static Ok<BulkAssignmentsResult> RemoveBulk(AuthorizationStore store)
    {
        var removed = store.RemoveWhere(a => a.Description == BulkDescription);
        return TypedResults.Ok(new BulkAssignmentsResult(-removed, store.Snapshot.Assignments.Length));
    }

    private static Results<Ok<ArmSettings>, ProblemHttpResult> PutSettings(ArmSettings settings, ArmPaging paging)
    {
        if (settings.PageSize is < 1 or > 5000)
        {
            return Invalid("pageSize must be between 1 and 5000.");
        }

        paging.PageSize = settings.PageSize;
        return TypedResults.Ok(settings);
    }

    private static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(title: "Invalid request", detail: detail, statusCode: StatusCodes.Status400BadRequest);
}

/// <param name="Count">How many assignments to add; the subscription limit stops the run early.</param>
/// <param name="Scope">Where to add them.</param>
/// <param name="RoleDefinitionId">The role GUID; Reader when omitted.</param>
/// <param name="PrincipalType">principalType of the generated principals; ServicePrincipal when omitted.</param>
public sealed record BulkAssignmentsRequest(int Count, string Scope, Guid? RoleDefinitionId, string? PrincipalType);

/// <param name="Changed">Assignments added (negative: removed).</param>
/// <param name="Total">Assignments in the emulator afterwards.</param>
public sealed record BulkAssignmentsResult(int Changed, int Total);

public sealed record ArmSettings(int PageSize);
