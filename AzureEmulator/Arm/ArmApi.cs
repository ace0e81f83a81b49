using System.Text.Json;
using AzureEmulator.Diagnostics;
using AzureEmulator.Faults;
using AzureEmulator.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AzureEmulator.Arm;

/// <summary>
/// Azure Resource Manager's Microsoft.Authorization role assignments and role definitions (api-version 2022-04-01).
/// Every call goes through ARM's front door in ARM's order — injected faults, authentication, api-version,
/// subscription, throttling — before the operation checks RBAC and runs.
/// </summary>
public static class ArmApi
{
    public const string ApiVersion = "2022-04-01";

    private static readonly HashSet<string> SupportedOperations =
        ["roleAssignments.list", "roleAssignments.get", "roleAssignments.create", "roleAssignments.delete", "roleDefinitions.list", "roleDefinitions.get"];

    private const string ReadAssignments = "Microsoft.Authorization/roleAssignments/read";
    private const string WriteAssignments = "Microsoft.Authorization/roleAssignments/write";
    private const string DeleteAssignments = "Microsoft.Authorization/roleAssignments/delete";
    private const string ReadDefinitions = "Microsoft.Authorization/roleDefinitions/read";

    public static IEndpointRouteBuilder MapArmApi(this IEndpointRouteBuilder routes)
    {
        // ARM scopes have any depth and the resource path follows them, so one catch-all per root dispatches by parsing.
        foreach (var pattern in new[] { "/subscriptions/{**armPath}", "/providers/{**armPath}" })
        {
            routes.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete], HandleAsync)
                .WithTags("ARM")
                .ExcludeFromDescription();
        }

        return routes;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, ArmServices arm, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid();
        var headers = http.Response.Headers;
        headers["x-ms-request-id"] = requestId.ToString();
        headers["x-ms-correlation-request-id"] = http.Request.Headers["x-ms-correlation-request-id"].FirstOrDefault() ?? requestId.ToString();
        headers["x-ms-routing-request-id"] = $"LOCAL:{arm.Time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}:{requestId}";

        var path = http.Request.Path.Value ?? "/";
        var known = ArmRequestTarget.TryParse(path, out var target);
        var operation = known ? target.OperationFor(http.Request.Method) : "unknown";
        var caller = "anonymous";
        var result = await RunAsync();
        arm.Metrics.RecordArmCall(operation, caller, result.Error?.Code ?? "success");
        return result.Error is { } error ? Render(http, error) : result.Success!;

        async Task<(IResult? Success, ArmError? Error)> RunAsync()
        {
            var fault = await arm.Faults.ApplyAsync(FaultTarget.Arm, cancellationToken);
            if (fault.ShouldFail)
            {
                return (null, ArmError.Injected(fault.Status!.Value, fault.RetryAfterSeconds));
            }

            var (who, authError) = await arm.Bearer.ValidateAsync(http.Request.Headers.Authorization.FirstOrDefault(), arm.Directory.TenantId);
            if (who is null)
            {
                return (null, authError);
            }

            caller = who.ObjectId.ToString();
            var apiVersion = http.Request.Query["api-version"].FirstOrDefault();
            if (string.IsNullOrEmpty(apiVersion))
            {
                return (null, new ArmError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."));
            }

            if (apiVersion != ApiVersion)
            {
                return (null, new ArmError(400, "InvalidApiVersionParameter", $"The api-version '{apiVersion}' is invalid. The supported versions are '{ApiVersion}'."));
            }

            if (!known || !SupportedOperations.Contains(operation))
            {
                return (null, new ArmError(404, "InvalidResourceType",
                    $"The resource path '{path}' with method {http.Request.Method} is not served here: the emulator implements only " +
                    $"Microsoft.Authorization roleAssignments (list, get, create, delete) and roleDefinitions (list, get) at api-version {ApiVersion}."));
            }

            if (target.Scope.SubscriptionId is { } subscription && !arm.Directory.Snapshot().SubscriptionIds.Contains(subscription, StringComparer.OrdinalIgnoreCase))
            {
                return (null, new ArmError(404, "SubscriptionNotFound", $"The subscription '{subscription}' could not be found."));
            }

            var kind = http.Request.Method switch
            {
                "PUT" => ArmRequestKind.Write,
                "DELETE" => ArmRequestKind.Delete,
                _ => ArmRequestKind.Read,
            };
            var bucket = target.Scope.SubscriptionId ?? arm.Directory.TenantId;
            var throttle = arm.Throttle.TryTake(bucket, who.ObjectId, kind);
            var level = target.Scope.SubscriptionId is null ? "tenant" : "subscription";
            headers[$"x-ms-ratelimit-remaining-{level}-{kind.ToString().ToLowerInvariant()}s"] = throttle.Remaining.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!throttle.Allowed)
            {
                return (null, ArmError.Throttled(bucket, who.ObjectId, kind, throttle.RetryAfterSeconds));
            }

            return operation switch
            {
                "roleAssignments.list" => ListAssignments(http, arm, who, target.Scope),
                "roleAssignments.get" => GetAssignment(arm, who, target),
                "roleAssignments.create" => await CreateAssignmentAsync(http, arm, who, target, cancellationToken),
                "roleAssignments.delete" => DeleteAssignment(arm, who, target),
                "roleDefinitions.list" => ListDefinitions(http, arm, who, target.Scope),
                _ => GetDefinition(arm, who, target),
            };
        }
    }

    private static (IResult?, ArmError?) ListAssignments(HttpContext http, ArmServices arm, ArmCaller caller, ArmScope scope)
    {
        var state = arm.Store.Snapshot;
        if (!CallerMay(arm, state, caller, scope, ReadAssignments))
        {
            return (null, ArmError.AuthorizationFailed(caller, ReadAssignments, scope.Value));
        }

        var filterText = http.Request.Query["$filter"].FirstOrDefault();
        if (RoleAssignmentFilter.Parse(filterText) is not { } filter)
        {
            return (null, new ArmError(400, "InvalidFilter",
                $"The filter '{filterText}' is not supported for role assignments. Supported filters: {RoleAssignmentFilter.SupportedForms}."));
        }

        if (!ArmPager.TryReadSkipToken(http.Request.Query["$skipToken"].FirstOrDefault(), out var after))
        {
            return (null, ArmPager.InvalidSkipToken);
        }

        var assignedToGroups = filter.AssignedTo is { } assignedTo ? arm.Directory.GroupsOf(assignedTo) : null;
        var page = ArmPager.Page(state.Assignments, a => a.Name, a => filter.Matches(scope, a.ParsedScope, a.PrincipalId, assignedToGroups), after, arm.Paging.PageSize);
        var nextLink = page.Last is { } last ? ArmPager.NextLink(http.Request, filter.ToString(), last) : null;
        return (TypedResults.Json(new ArmPage<RoleAssignmentResource>([.. page.Items.Select(RoleAssignmentResource.From)], nextLink), arm.Json), null);
    }

    private static (IResult?, ArmError?) GetAssignment(ArmServices arm, ArmCaller caller, ArmRequestTarget target)
    {
        var state = arm.Store.Snapshot;
        var id = $"{RoleAssignmentResource.Prefix(target.Scope)}/providers/{RoleAssignmentResource.ResourceType}/{target.Name}";
        if (!CallerMay(arm, state, caller, target.Scope, ReadAssignments))
        {
            return (null, ArmError.AuthorizationFailed(caller, ReadAssignments, id));
        }

        var found = Guid.TryParse(target.Name, out var name)
            ? state.Assignments.FirstOrDefault(a => a.Name == name && a.ParsedScope.Equals(target.Scope))
            : null;
        return found is null
            ? (null, new ArmError(404, "RoleAssignmentNotFound", $"The role assignment '{target.Name}' is not found."))
            : (TypedResults.Json(RoleAssignmentResource.From(found), arm.Json), null);
    }

    private static async Task<(IResult?, ArmError?)> CreateAssignmentAsync(HttpContext http, ArmServices arm, ArmCaller caller, ArmRequestTarget target, CancellationToken cancellationToken)
    {
        var id = $"{RoleAssignmentResource.Prefix(target.Scope)}/providers/{RoleAssignmentResource.ResourceType}/{target.Name}";
        var state = arm.Store.Snapshot;
        if (!CallerMay(arm, state, caller, target.Scope, WriteAssignments))
        {
            return (null, ArmError.AuthorizationFailed(caller, WriteAssignments, id));
        }

        if (!Guid.TryParse(target.Name, out var name))
        {
            return (null, new ArmError(400, "InvalidRoleAssignmentId", $"The role assignment ID '{target.Name}' is not valid. The role assignment ID must be a GUID."));
        }

        RoleAssignmentCreateProperties? body;
        try
        {
            body = (await http.Request.ReadFromJsonAsync<RoleAssignmentCreateParameters>(arm.Json, cancellationToken))?.Properties;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return (null, new ArmError(400, "InvalidRequestContent", $"The request content was invalid and could not be deserialized: '{ex.Message}'."));
        }

        if (body is null)
        {
            return (null, new ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: the 'properties' object is missing."));
        }

        var validation = RoleAssignmentValidation.Validate(body, target.Scope, state, arm.Directory);
        if (validation.Error is { } invalid)
        {
            return (null, invalid);
        }

        var now = arm.Time.GetUtcNow().UtcDateTime;
        var requested = new RoleAssignmentRecord
        {
            Name = name,
            Scope = target.Scope.Value,
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
        return change.Outcome switch
        {
            AssignmentChangeOutcome.Created => (TypedResults.Json(RoleAssignmentResource.From(change.Assignment), arm.Json, statusCode: StatusCodes.Status201Created), null),
            AssignmentChangeOutcome.Updated or AssignmentChangeOutcome.Unchanged => (TypedResults.Json(RoleAssignmentResource.From(change.Assignment), arm.Json), null),
            AssignmentChangeOutcome.Exists => (null, new ArmError(409, "RoleAssignmentExists",
                $"The role assignment already exists. The ID of the existing role assignment is {change.Assignment.Name:N}.")),
            AssignmentChangeOutcome.UpdateNotPermitted => (null, new ArmError(409, "RoleAssignmentUpdateNotPermitted",
                "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.")),
            _ => (null, new ArmError(400, "RoleAssignmentLimitExceeded",
                $"No more role assignments can be created. The subscription already has {arm.Options.MaxAssignmentsPerSubscription} role assignments, Azure's limit per subscription; delete some first.")),
        };
    }

    private static (IResult?, ArmError?) DeleteAssignment(ArmServices arm, ArmCaller caller, ArmRequestTarget target)
    {
        var id = $"{RoleAssignmentResource.Prefix(target.Scope)}/providers/{RoleAssignmentResource.ResourceType}/{target.Name}";
        if (!CallerMay(arm, arm.Store.Snapshot, caller, target.Scope, DeleteAssignments))
        {
            return (null, ArmError.AuthorizationFailed(caller, DeleteAssignments, id));
        }

        // ARM answers 204 when there is nothing to delete, and 200 with the removed assignment otherwise.
        return Guid.TryParse(target.Name, out var name) && arm.Store.Delete(target.Scope, name) is { } removed
            ? (TypedResults.Json(RoleAssignmentResource.From(removed), arm.Json), null)
            : (TypedResults.NoContent(), null);
    }

    private static (IResult?, ArmError?) ListDefinitions(HttpContext http, ArmServices arm, ArmCaller caller, ArmScope scope)
    {
        var state = arm.Store.Snapshot;
        if (!MayReadDefinitions(arm, state, caller, scope))
        {
            return (null, ArmError.AuthorizationFailed(caller, ReadDefinitions, scope.Value));
        }

        var filterText = http.Request.Query["$filter"].FirstOrDefault();
        if (RoleDefinitionFilter.Parse(filterText) is not { } filter)
        {
            return (null, new ArmError(400, "InvalidFilter",
                $"The filter '{filterText}' is not supported for role definitions. Supported filters: {RoleDefinitionFilter.SupportedForms}."));
        }

        if (!ArmPager.TryReadSkipToken(http.Request.Query["$skipToken"].FirstOrDefault(), out var after))
        {
            return (null, ArmPager.InvalidSkipToken);
        }

        var visible = state.Definitions.Values.Where(d => IsVisibleAt(d, scope)).OrderBy(d => d.Id).ToArray();
        var page = ArmPager.Page(visible, d => d.Id, d => filter.Matches(d.RoleName, d.Type), after, arm.Paging.PageSize);
        var nextLink = page.Last is { } last ? ArmPager.NextLink(http.Request, filter.ToString(), last) : null;
        return (TypedResults.Json(new ArmPage<RoleDefinitionResource>([.. page.Items.Select(d => RoleDefinitionResource.From(d, scope))], nextLink), arm.Json), null);
    }

    private static (IResult?, ArmError?) GetDefinition(ArmServices arm, ArmCaller caller, ArmRequestTarget target)
    {
        var state = arm.Store.Snapshot;
        if (!MayReadDefinitions(arm, state, caller, target.Scope))
        {
            return (null, ArmError.AuthorizationFailed(caller, ReadDefinitions,
                $"{RoleAssignmentResource.Prefix(target.Scope)}/providers/{RoleDefinitionResource.ResourceType}/{target.Name}"));
        }

        return Guid.TryParse(target.Name, out var id) && state.Definitions.TryGetValue(id, out var definition) && IsVisibleAt(definition, target.Scope)
            ? (TypedResults.Json(RoleDefinitionResource.From(definition, target.Scope), arm.Json), null)
            : (null, new ArmError(404, "RoleDefinitionDoesNotExist", $"The specified role definition with ID '{target.Name}' does not exist."));
    }

    // RBAC counts the caller's own assignments and those of every group it belongs to, nested groups included.
    private static bool CallerMay(ArmServices arm, AuthorizationSnapshot state, ArmCaller caller, ArmScope scope, string action) =>
        PermissionEvaluator.IsAllowed(state, caller.ObjectId, scope, action, arm.Directory.GroupsOf(caller.ObjectId));

    // Built-in role definitions are public in every tenant; anything scoped needs roleDefinitions/read there.
    private static bool MayReadDefinitions(ArmServices arm, AuthorizationSnapshot state, ArmCaller caller, ArmScope scope) =>
        scope.IsRoot || CallerMay(arm, state, caller, scope, ReadDefinitions);

    private static bool IsVisibleAt(RoleDefinitionRecord definition, ArmScope scope) =>
        definition.IsBuiltIn || definition.AssignableScopes.Any(s => ArmScope.TryParse(s, out var assignable) && assignable.IsRelatedTo(scope));

    private static JsonHttpResult<object> Render(HttpContext http, ArmError error)
    {
        if (error.RetryAfterSeconds is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (error.Challenge is { } challenge)
        {
            http.Response.Headers.WWWAuthenticate = challenge;
        }

        return TypedResults.Json(error.Body, statusCode: error.Status);
    }
}
