using System.Text.Json;

namespace AzureEmulator.Arm;

/// <summary>Microsoft.Authorization/roleAssignments: list (any scope), get, create, delete — and so the SDKs' ById variants.</summary>
public static class RoleAssignmentOperations
{
    private const string Read = "Microsoft.Authorization/roleAssignments/read";
    private const string Write = "Microsoft.Authorization/roleAssignments/write";
    private const string Delete = "Microsoft.Authorization/roleAssignments/delete";

    public static Task<ArmOutcome> ListAsync(ArmRequest request)
    {
        var (http, arm, scope) = (request.Http, request.Arm, request.Scope);
        // The query is checked before RBAC: ARM refuses a filter it does not support whoever asks.
        var filterText = http.Request.Query["$filter"].FirstOrDefault();
        if (RoleAssignmentFilter.Parse(filterText) is not { } filter)
        {
            return Task.FromResult<ArmOutcome>(RoleAssignmentFilter.Unsupported(filterText));
        }

        if (scope.IsRoot && filter == RoleAssignmentFilter.None)
        {
            return Task.FromResult<ArmOutcome>(new ArmError(400, "UnsupportedQuery", "The role assignments query at '/' scope is not allowed without any filters."));
        }

        var state = arm.Store.Snapshot;
        if (!Rbac.CallerMay(arm, state, request.Who, scope, Read))
        {
            return Task.FromResult<ArmOutcome>(ArmError.AuthorizationFailed(request.Who, Read, scope.Value));
        }

        if (!ArmPager.TryReadSkipToken(http.Request.Query["$skipToken"].FirstOrDefault(), out var after))
        {
            return Task.FromResult<ArmOutcome>(ArmPager.InvalidSkipToken);
        }

        var assignedToGroups = filter.AssignedTo is { } assignedTo ? arm.Directory.GroupsOf(assignedTo) : null;
        var page = ArmPager.Page(state.Assignments, a => a.Name, a => filter.Matches(scope, a.ParsedScope, a.PrincipalId, assignedToGroups), after, arm.Paging.PageSize);
        var nextLink = page.Last is { } last ? ArmPager.NextLink(http.Request, request.ApiVersion, filter.ToString(), last) : null;
        var items = page.Items.Select(a => ArmShapes.Assignment(RoleAssignmentResource.From(a), request.ApiVersion));
        return Task.FromResult(ArmOutcome.Ok(TypedResults.Json(ArmShapes.Page(items, nextLink), arm.Json)));
    }

    public static Task<ArmOutcome> GetAsync(ArmRequest request)
    {
        var (arm, scope) = (request.Arm, request.Scope);
        var state = arm.Store.Snapshot;
        if (!Rbac.CallerMay(arm, state, request.Who, scope, Read))
        {
            return Task.FromResult<ArmOutcome>(ArmError.AuthorizationFailed(request.Who, Read, IdOf(request)));
        }

        var found = Guid.TryParse(request.Name, out var name)
            ? state.Assignments.FirstOrDefault(a => a.Name == name && a.ParsedScope.Equals(scope))
            : null;
        return Task.FromResult(found is null
            ? new ArmError(404, "RoleAssignmentNotFound", $"The role assignment '{request.Name}' is not found.")
            : ArmOutcome.Ok(TypedResults.Json(ArmShapes.Assignment(RoleAssignmentResource.From(found), request.ApiVersion), arm.Json)));
    }

    public static async Task<ArmOutcome> CreateAsync(ArmRequest request)
    {
        var (http, arm, scope, caller) = (request.Http, request.Arm, request.Scope, request.Who);
        var state = arm.Store.Snapshot;
        if (request.CheckPut(state, Write, IdOf(request), "role assignment", "InvalidRoleAssignmentId", out var name) is { } refused)
        {
            return refused;
        }

        var (parameters, unreadable) = await request.ReadBodyAsync<RoleAssignmentCreateParameters>();
        if (unreadable is not null)
        {
            return unreadable;
        }

        var body = parameters?.Properties;
        if (body is null)
        {
            return new ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: the 'properties' object is missing.");
        }

        var validation = RoleAssignmentValidation.Validate(body, scope, state, arm.Directory);
        if (validation.Error is { } invalid)
        {
            return invalid;
        }

        var now = arm.Time.GetUtcNow().UtcDateTime;
        var requested = new RoleAssignmentRecord
        {
            Name = name,
            Scope = scope.Value,
            RoleDefinitionId = validation.RoleDefinitionId,
            PrincipalId = validation.PrincipalId,
            PrincipalType = validation.PrincipalType,
            Description = body.Description,
            Condition = body.Condition,
            ConditionVersion = body.Condition is null ? null : body.ConditionVersion ?? "2.0",
            CreatedOn = now,
            UpdatedOn = now,
            CreatedBy = caller.ObjectId.ToString(),
            UpdatedBy = caller.ObjectId.ToString(),
        };

        var change = arm.Store.Put(requested);
        var shaped = ArmShapes.Assignment(RoleAssignmentResource.From(change.Assignment), request.ApiVersion);
        return change.Outcome switch
        {
            AssignmentChangeOutcome.Created => ArmOutcome.Ok(TypedResults.Json(shaped, arm.Json, statusCode: StatusCodes.Status201Created)),
            AssignmentChangeOutcome.Updated or AssignmentChangeOutcome.Unchanged => ArmOutcome.Ok(TypedResults.Json(shaped, arm.Json)),
            AssignmentChangeOutcome.Exists => new ArmError(409, "RoleAssignmentExists",
                $"The role assignment already exists. The ID of the existing role assignment is {change.Assignment.Name:N}."),
            AssignmentChangeOutcome.UpdateNotPermitted => new ArmError(409, "RoleAssignmentUpdateNotPermitted",
                "Tenant ID, application ID, principal ID, and scope are not allowed to be updated."),
            _ => new ArmError(400, "RoleAssignmentLimitExceeded",
                $"No more role assignments can be created. The subscription already has {arm.Options.MaxAssignmentsPerSubscription} role assignments, Azure's limit per subscription; delete some first."),
        };
    }

    public static Task<ArmOutcome> DeleteAsync(ArmRequest request)
    {
        var arm = request.Arm;
        if (!Rbac.CallerMay(arm, arm.Store.Snapshot, request.Who, request.Scope, Delete))
        {
            return Task.FromResult<ArmOutcome>(ArmError.AuthorizationFailed(request.Who, Delete, IdOf(request)));
        }

        // ARM answers 204 when there is nothing to delete, and 200 with the removed assignment otherwise.
        return Task.FromResult(Guid.TryParse(request.Name, out var name) && arm.Store.Delete(request.Scope, name) is { } removed
            ? ArmOutcome.Ok(TypedResults.Json(ArmShapes.Assignment(RoleAssignmentResource.From(removed), request.ApiVersion), arm.Json))
            : ArmOutcome.Ok(TypedResults.NoContent()));
    }

    private static string IdOf(ArmRequest request) =>
        $"{RoleAssignmentResource.Prefix(request.Scope)}/providers/{RoleAssignmentResource.ResourceType}/{request.Name}";
}

/// <summary>The RBAC checks every operation makes.</summary>
internal static class Rbac
{
    // RBAC counts the caller's own assignments and those of every group it belongs to, nested groups included.
    public static bool CallerMay(ArmServices arm, AuthorizationSnapshot state, ArmCaller caller, ArmScope scope, string action) =>
        PermissionEvaluator.IsAllowed(state, caller.ObjectId, scope, action, arm.Directory.GroupsOf(caller.ObjectId));
}
