using System.ComponentModel;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using RoleViewer.Api.Common;
using RoleViewer.Api.Identity;
using RoleViewer.Api.RoleAssignments;

namespace RoleViewer.Api.Permissions;

/// <summary>Effective permissions and single checks, computed from the cached role-assignment listing: no ARM call per request.</summary>
public static partial class PermissionsApi
{
    private const string Example = "Microsoft.Compute/virtualMachines/read";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9._-]+)+$")]
    private static partial Regex OperationShape();

    public static RouteGroupBuilder MapPermissionsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/permissions").WithTags("Permissions");
        group.MapGet("/", GetPermissions)
            .WithName("GetPermissions")
            .WithSummary("The identity's effective actions, notActions, dataActions and notDataActions at a scope.")
            .WithDescription("Computed from the cached role-assignment listing (assignments at and above the scope, direct and through groups) " +
                             "and the roles' definitions. notActions subtract only within their own role: see roles[] for each block.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesUpstreamProblems();
        group.MapGet("/check", CheckPermission)
            .WithName("CheckPermission")
            .WithSummary("May the identity perform one action at a scope, and which assignment decides.")
            .WithDescription("ARM's semantics: case-insensitive, '*' wildcards within and across segments, notActions subtract only within " +
                             "their role. Conditions are reported with a warning, not evaluated. Deny assignments are not considered.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesUpstreamProblems();
        return group;
    }

    public static async Task<Results<Ok<EffectivePermissionsResponse>, ProblemHttpResult>> GetPermissions(
        RoleAssignmentsService assignments,
        WorkloadIdentitySettings settings,
        HttpContext context,
        [Description("A subscription, resource group or resource id; default: the identity's subscription.")] string? scope,
        CancellationToken cancellationToken)
    {
        if (ScopeProblem(scope, settings, context) is { } badScope)
        {
            return badScope;
        }

        try
        {
            var current = await assignments.GetListingAsync(forceRefresh: false, cancellationToken);
            return TypedResults.Ok(PermissionEvaluator.Effective(current, ParsedScope(scope, settings)));
        }
        catch (UpstreamException e)
        {
            return Upstream(context, e);
        }
    }

    public static async Task<Results<Ok<PermissionCheckResponse>, ProblemHttpResult>> CheckPermission(
        RoleAssignmentsService assignments,
        WorkloadIdentitySettings settings,
        HttpContext context,
        [Description("The operation, e.g. Microsoft.Compute/virtualMachines/read.")] string? action,
        [Description("A subscription, resource group or resource id; default: the identity's subscription.")] string? scope,
        [Description("action (control plane, the default) or dataAction (data plane).")] string? kind,
        CancellationToken cancellationToken)
    {
        if (ScopeProblem(scope, settings, context) is { } badScope)
        {
            return badScope;
        }

        var problem = action is null || action.Trim().Length == 0
            ? $"Give the action to check, e.g. ?action={Example}."
            : action.Contains('*', StringComparison.Ordinal)
                ? $"The action '{action}' contains '*'. Wildcards belong in role definitions; check one concrete operation such as {Example}."
                : !OperationShape().IsMatch(action.Trim())
                    ? $"The action '{action}' is not an ARM operation. Expected {{provider namespace}}/{{resource type}}/{{operation}}, e.g. {Example}."
                    : null;
        if (problem is null && kind is not (null or PermissionKinds.Action or PermissionKinds.DataAction))
        {
            problem = $"The kind '{kind}' is unknown. Use kind=action for control-plane operations (the default) or kind=dataAction for data-plane ones.";
        }

        if (problem is not null)
        {
            return BadRequest(context, "Invalid action", problem);
        }

        try
        {
            var current = await assignments.GetListingAsync(forceRefresh: false, cancellationToken);
            return TypedResults.Ok(PermissionEvaluator.Check(current, ParsedScope(scope, settings), action!.Trim(), kind ?? PermissionKinds.Action));
        }
        catch (UpstreamException e)
        {
            return Upstream(context, e);
        }
    }

    private static ProblemHttpResult? ScopeProblem(string? scope, WorkloadIdentitySettings settings, HttpContext context)
    {
        if (settings.SubscriptionId is not { } subscription || !Guid.TryParse(subscription, out _))
        {
            // The listing reports the missing subscription as an upstream problem; no scope can be checked without it.
            return string.IsNullOrWhiteSpace(scope) ? null
                : BadRequest(context, "Invalid scope", "AZURE_SUBSCRIPTION_ID is not set to a subscription id, so no scope can be checked; set it first.");
        }

        if (string.IsNullOrWhiteSpace(scope))
        {
            return null;
        }

        if (!ScopePath.TryParse(scope, out var parsed, out var problem))
        {
            return BadRequest(context, "Invalid scope", problem);
        }

        return parsed.SubscriptionId.Equals(subscription, StringComparison.OrdinalIgnoreCase)
            ? null
            : BadRequest(context, "Invalid scope",
                $"The scope '{scope}' is in subscription {parsed.SubscriptionId}, but RoleViewer reads role assignments only in its own subscription " +
                $"{subscription} (AZURE_SUBSCRIPTION_ID). Check a scope inside it.");
    }

    private static ScopePath ParsedScope(string? scope, WorkloadIdentitySettings settings) =>
        !string.IsNullOrWhiteSpace(scope) && ScopePath.TryParse(scope, out var parsed, out _)
            ? parsed
            : ScopePath.Subscription(settings.SubscriptionId!);

    private static ProblemHttpResult BadRequest(HttpContext context, string title, string detail) =>
        ApiProblems.Request(context, StatusCodes.Status400BadRequest, title, detail);

    private static ProblemHttpResult Upstream(HttpContext context, UpstreamException e) =>
        ApiProblems.Upstream(context, e.Failure.ProblemStatus, e.Failure.Title,
            $"No role-assignment listing to compute permissions from: {e.Failure.Message} Fix: {e.Failure.Fix}", e.Failure.Status, e.Failure.Code);
}
