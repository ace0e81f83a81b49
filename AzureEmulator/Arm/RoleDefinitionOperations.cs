using System.Text.Json;

namespace AzureEmulator.Arm;

/// <summary>Microsoft.Authorization/roleDefinitions: list, get (and getById), createOrUpdate and delete of custom roles.</summary>
public static class RoleDefinitionOperations
{
    private const string Read = "Microsoft.Authorization/roleDefinitions/read";
    private const string Write = "Microsoft.Authorization/roleDefinitions/write";
    private const string Delete = "Microsoft.Authorization/roleDefinitions/delete";

    public static Task<ArmOutcome> ListAsync(ArmRequest request)
    {
        var (http, arm, scope) = (request.Http, request.Arm, request.Scope);
        var state = arm.Store.Snapshot;
        if (!MayRead(arm, state, request.Who, scope))
        {
            return Task.FromResult<ArmOutcome>(ArmError.AuthorizationFailed(request.Who, Read, scope.Value));
        }

        var filterText = http.Request.Query["$filter"].FirstOrDefault();
        if (RoleDefinitionFilter.Parse(filterText) is not { } filter)
        {
            return Task.FromResult<ArmOutcome>(new ArmError(400, "InvalidFilter",
                $"The filter '{filterText}' is not supported for role definitions. Supported filters: {RoleDefinitionFilter.SupportedForms}."));
        }

        if (!ArmPager.TryReadSkipToken(http.Request.Query["$skipToken"].FirstOrDefault(), out var after))
        {
            return Task.FromResult<ArmOutcome>(ArmPager.InvalidSkipToken);
        }

        // Listed: built-in roles, custom roles assignable here, and with atScopeAndBelow() those assignable below too.
        var visible = state.Definitions.Values
            .Where(d => d.IsBuiltIn || d.AssignableScopes.Any(s => ArmScope.TryParse(s, out var assignable)
                && (assignable.IsAtOrAbove(scope) || (filter.AtScopeAndBelow && scope.IsAtOrAbove(assignable)))))
            .OrderBy(d => d.Id)
            .ToArray();
        var page = ArmPager.Page(visible, d => d.Id, d => filter.Matches(d.RoleName, d.Type), after, arm.Paging.PageSize);
        var nextLink = page.Last is { } last ? ArmPager.NextLink(http.Request, request.ApiVersion, filter.ToString(), last) : null;
        var items = page.Items.Select(d => ArmShapes.Definition(RoleDefinitionResource.From(d, scope), request.ApiVersion));
        return Task.FromResult(ArmOutcome.Ok(TypedResults.Json(ArmShapes.Page(items, nextLink), arm.Json)));
    }

    public static Task<ArmOutcome> GetAsync(ArmRequest request)
    {
        var (arm, scope) = (request.Arm, request.Scope);
        var state = arm.Store.Snapshot;
        if (!MayRead(arm, state, request.Who, scope))
        {
            return Task.FromResult<ArmOutcome>(ArmError.AuthorizationFailed(request.Who, Read, IdOf(request)));
        }

        return Task.FromResult(Guid.TryParse(request.Name, out var id) && state.Definitions.TryGetValue(id, out var definition) && IsVisibleAt(definition, scope)
            ? ArmOutcome.Ok(TypedResults.Json(ArmShapes.Definition(RoleDefinitionResource.From(definition, scope), request.ApiVersion), arm.Json))
            : NotFound(request.Name));
    }

    public static async Task<ArmOutcome> CreateOrUpdateAsync(ArmRequest request)
    {
        var (http, arm, scope, caller) = (request.Http, request.Arm, request.Scope, request.Who);
        var state = arm.Store.Snapshot;
        if (request.CheckPut(state, Write, IdOf(request), "role definition", "InvalidRoleDefinitionId", out var id) is { } refused)
        {
            return refused;
        }

        var (parameters, unreadable) = await request.ReadBodyAsync<RoleDefinitionParameters>();
        if (unreadable is not null)
        {
            return unreadable;
        }

        var body = parameters?.Properties;
        if (body is null || string.IsNullOrWhiteSpace(body.RoleName))
        {
            return new ArmError(400, "RoleDefinitionNameNullOrEmpty", "The role definition name cannot be null or empty: set properties.roleName.");
        }

        if (body.AssignableScopes is not { Count: > 0 } scopes || body.Permissions is not { Count: > 0 } permissions)
        {
            return new ArmError(400, "InvalidRoleDefinition", "A custom role needs properties.assignableScopes (at least one scope) and properties.permissions (at least one block).");
        }

        var parsed = new List<ArmScope>();
        foreach (var text in scopes)
        {
            if (!ArmScope.TryParse(text, out var assignable) || assignable.IsRoot)
            {
                return new ArmError(400, "InvalidAssignableScopes", $"The assignable scope '{text}' is not valid: use a management group, subscription, resource group or resource id.");
            }

            if (!Rbac.CallerMay(arm, state, caller, assignable, Write))
            {
                return ArmError.AuthorizationFailed(caller, Write, assignable.Value);
            }

            parsed.Add(assignable);
        }

        var now = arm.Time.GetUtcNow().UtcDateTime;
        var change = arm.Store.PutDefinition(new RoleDefinitionRecord
        {
            Id = id,
            RoleName = body.RoleName.Trim(),
            Type = "CustomRole",
            Description = body.Description ?? "",
            AssignableScopes = [.. parsed.Select(s => s.Value)],
            Permissions = permissions,
            CreatedOn = now,
            UpdatedOn = now,
            CreatedBy = caller.ObjectId.ToString(),
            UpdatedBy = caller.ObjectId.ToString(),
        });
        return change.Outcome switch
        {
            DefinitionChangeOutcome.Created => ArmOutcome.Ok(TypedResults.Json(Shape(request, change.Definition!), arm.Json, statusCode: StatusCodes.Status201Created)),
            DefinitionChangeOutcome.Updated => ArmOutcome.Ok(TypedResults.Json(Shape(request, change.Definition!), arm.Json)),
            DefinitionChangeOutcome.BuiltIn => BuiltInIsReadOnly(id),
            _ => new ArmError(409, "RoleDefinitionWithSameNameExists",
                $"A custom role with the same name '{body.RoleName}' already exists in this directory (id {change.Definition!.Id}). Use a different name."),
        };
    }

    public static Task<ArmOutcome> DeleteAsync(ArmRequest request)
    {
        var arm = request.Arm;
        if (!Rbac.CallerMay(arm, arm.Store.Snapshot, request.Who, request.Scope, Delete))
        {
            return Task.FromResult<ArmOutcome>(ArmError.AuthorizationFailed(request.Who, Delete, IdOf(request)));
        }

        if (!Guid.TryParse(request.Name, out var id))
        {
            return Task.FromResult(ArmOutcome.Ok(TypedResults.NoContent()));
        }

        var change = arm.Store.DeleteDefinition(id);
        return Task.FromResult(change.Outcome switch
        {
            DefinitionChangeOutcome.Deleted => ArmOutcome.Ok(TypedResults.Json(Shape(request, change.Definition!), arm.Json)),
            DefinitionChangeOutcome.BuiltIn => BuiltInIsReadOnly(id),
            DefinitionChangeOutcome.HasAssignments => new ArmError(409, "RoleDefinitionHasAssignments",
                $"There are existing role assignments referencing role '{id}'. Delete them before deleting the role definition."),
            _ => ArmOutcome.Ok(TypedResults.NoContent()),
        });
    }

    // Built-in role definitions are public in every tenant; anything scoped needs roleDefinitions/read there.
    private static bool MayRead(ArmServices arm, AuthorizationSnapshot state, ArmCaller caller, ArmScope scope) =>
        scope.IsRoot || Rbac.CallerMay(arm, state, caller, scope, Read);

    private static bool IsVisibleAt(RoleDefinitionRecord definition, ArmScope scope) =>
        definition.IsBuiltIn || definition.AssignableScopes.Any(s => ArmScope.TryParse(s, out var assignable) && assignable.IsRelatedTo(scope));

    private static System.Text.Json.Nodes.JsonNode Shape(ArmRequest request, RoleDefinitionRecord definition) =>
        ArmShapes.Definition(RoleDefinitionResource.From(definition, request.Scope), request.ApiVersion);

    private static ArmError NotFound(string? name) =>
        new(404, "RoleDefinitionDoesNotExist", $"The specified role definition with ID '{name}' does not exist.");

    private static ArmError BuiltInIsReadOnly(Guid id) =>
        new(403, "RoleDefinitionNotModifiable", $"The role definition '{id}' is a built-in role; built-in roles cannot be changed or deleted. Create a custom role instead.");

    private static string IdOf(ArmRequest request) =>
        $"{RoleAssignmentResource.Prefix(request.Scope)}/providers/{RoleDefinitionResource.ResourceType}/{request.Name}";
}

/// <summary>The PUT body of a role definition.</summary>
public sealed record RoleDefinitionParameters(RoleDefinitionBody? Properties);

public sealed record RoleDefinitionBody(
    string? RoleName,
    string? Description,
    string? Type,
    IReadOnlyList<PermissionBlock>? Permissions,
    IReadOnlyList<string>? AssignableScopes);
