using RoleViewer.Api.Arm;
using RoleViewer.Api.RoleAssignments;

namespace RoleViewer.Api.Permissions;

/// <summary>
/// Azure RBAC's answer from a cached listing: an action is allowed at a scope when a permission block of a role
/// assigned at or above that scope (to the identity or a group it is in) matches it in actions and not in the
/// same block's notActions. Data actions likewise with dataActions / notDataActions. Conditions are not evaluated.
/// </summary>
public static class PermissionEvaluator
{
    private const string ConditionWarning =
        "has a condition, which RoleViewer reports but does not evaluate: ARM refuses the request when the condition is false.";

    /// <summary>An applicable permission block, with the assignment it comes from.</summary>
    public sealed record Block(RoleAssignmentDto Assignment, string RoleName, bool ViaGroup, int Depth, RolePermissionData Permissions);

    /// <summary>The blocks of every role assigned at or above <paramref name="scope"/>; <paramref name="warnings"/> gets unknown roles.</summary>
    public static IReadOnlyList<Block> BlocksAt(RoleAssignmentsService.Listing listing, ScopePath scope, List<string> warnings)
    {
        var blocks = new List<Block>();
        foreach (var assignment in listing.Items)
        {
            if (!AppliesAt(assignment.Scope, scope, out var depth))
            {
                continue;
            }

            listing.Roles.TryGetValue(assignment.RoleDefinitionId, out var role);
            if (role is null)
            {
                warnings.Add($"Assignment {assignment.Id} refers to role definition {assignment.RoleDefinitionId}, which ARM no longer knows; it grants nothing.");
                continue;
            }

            var viaGroup = !assignment.PrincipalId.Equals(listing.Principal.ObjectId, StringComparison.OrdinalIgnoreCase);
            foreach (var permissions in role.Properties.Permissions ?? [])
            {
                blocks.Add(new Block(assignment, role.Properties.RoleName, viaGroup, depth, permissions));
            }
        }

        return blocks;
    }

    public static EffectivePermissionsResponse Effective(RoleAssignmentsService.CurrentListing current, ScopePath scope)
    {
        var listing = current.Listing;
        var warnings = new List<string>();
        var blocks = BlocksAt(listing, scope, warnings);
        foreach (var conditional in blocks.Where(b => b.Assignment.Condition is not null).Select(b => b.Assignment).DistinctBy(a => a.Id))
        {
            warnings.Add($"Assignment {conditional.Id} (role \"{RoleNameOf(blocks, conditional)}\") {ConditionWarning}");
        }

        static IReadOnlyList<string> Union(IEnumerable<IReadOnlyList<string>?> lists) =>
            [.. lists.SelectMany(l => l ?? []).Distinct(StringComparer.OrdinalIgnoreCase)];

        var p = blocks.Select(b => b.Permissions).ToList();
        return new EffectivePermissionsResponse(
            scope.Value, ScopeInfo.Parse(scope.Value).Kind,
            new PrincipalDto(listing.Principal.ObjectId, listing.Principal.ClientId, listing.Principal.TenantId),
            Union(p.Select(x => x.Actions)), Union(p.Select(x => x.NotActions)),
            Union(p.Select(x => x.DataActions)), Union(p.Select(x => x.NotDataActions)),
            [.. blocks.Select(b => new RolePermissionsDto(
                b.Assignment.Id, b.RoleName, b.Assignment.RoleDefinitionId, b.Assignment.Scope, b.ViaGroup, b.Assignment.Condition,
                b.Permissions.Actions ?? [], b.Permissions.NotActions ?? [], b.Permissions.DataActions ?? [], b.Permissions.NotDataActions ?? []))],
            warnings, listing.FetchedAt, current.StaleBecause is not null, current.StaleBecause);
    }

    public static PermissionCheckResponse Check(RoleAssignmentsService.CurrentListing current, ScopePath scope, string action, string kind)
    {
        var warnings = new List<string>();
        var blocks = BlocksAt(current.Listing, scope, warnings);
        var data = kind == PermissionKinds.DataAction;
        var grants = new List<(Block Block, string Pattern)>();
        var denials = new List<PermissionDenialDto>();
        foreach (var block in blocks)
        {
            var granting = ActionPattern.FirstMatch(data ? block.Permissions.DataActions : block.Permissions.Actions, action);
            if (granting is null)
            {
                continue;
            }

            // A notAction removes the action from this block only; another role may still grant it.
            var excluding = ActionPattern.FirstMatch(data ? block.Permissions.NotDataActions : block.Permissions.NotActions, action);
            if (excluding is null)
            {
                grants.Add((block, granting));
            }
            else
            {
                denials.Add(new PermissionDenialDto(block.Assignment.Id, block.RoleName, block.Assignment.Scope, granting, excluding));
            }
        }

        // The deciding grant: an unconditional one before a conditional one, then the assignment nearest the scope.
        var decisive = grants
            .OrderBy(g => g.Block.Assignment.Condition is null ? 0 : 1)
            .ThenByDescending(g => g.Block.Depth)
            .ThenBy(g => g.Block.RoleName, StringComparer.Ordinal)
            .Select(g => (Grant?)g.ToGrant())
            .FirstOrDefault();
        if (decisive is { Condition: not null } && grants.All(g => g.Block.Assignment.Condition is not null))
        {
            warnings.Add($"Assignment {decisive.AssignmentId} (role \"{decisive.RoleName}\") {ConditionWarning}");
        }

        var listing = current.Listing;
        var what = data ? "data action" : "action";
        var reason = decisive is { } g2
            ? $"Allowed: role \"{g2.RoleName}\", assigned {(g2.ViaGroup ? "to a group the identity is in" : "to the identity")} at {g2.AssignmentScope}, " +
              $"grants {what} {action} through \"{g2.Pattern}\"."
            : denials.Count > 0
                ? $"Denied: {string.Join("; ", denials.Select(d => $"role \"{d.RoleName}\" at {d.AssignmentScope} matches it with \"{d.GrantingPattern}\" but removes it with \"{d.NotPattern}\""))}. " +
                  $"No other role assigned at or above {scope.Value} grants it."
                : $"Denied: none of the {blocks.Select(b => b.Assignment.Id).Distinct().Count()} role assignment(s) at or above {scope.Value} " +
                  $"grants {what} {action}. Grant a role that includes it at this scope or above.";
        return new PermissionCheckResponse(action, scope.Value, kind, decisive is not null, decisive?.ToDto(), denials, reason, warnings,
            listing.FetchedAt, current.StaleBecause is not null);
    }

    private sealed record Grant(string AssignmentId, string RoleName, string RoleDefinitionId, string AssignmentScope, bool ViaGroup, string Pattern, string? Condition)
    {
        public PermissionGrantDto ToDto() => new(AssignmentId, RoleName, RoleDefinitionId, AssignmentScope, ViaGroup, Pattern, Condition);
    }

    private static Grant ToGrant(this (Block Block, string Pattern) g) =>
        new(g.Block.Assignment.Id, g.Block.RoleName, g.Block.Assignment.RoleDefinitionId, g.Block.Assignment.Scope, g.Block.ViaGroup, g.Pattern, g.Block.Assignment.Condition);

    private static string RoleNameOf(IReadOnlyList<Block> blocks, RoleAssignmentDto assignment) =>
        blocks.First(b => b.Assignment.Id == assignment.Id).RoleName;

    /// <summary>
    /// An assignment applies at the scope when its own scope is the same or an ancestor. Tenant-root and management-group
    /// assignments come back from assignedTo() at the subscription only when they are its ancestors, so they apply.
    /// </summary>
    private static bool AppliesAt(string assignmentScope, ScopePath scope, out int depth)
    {
        if (ScopePath.TryParse(assignmentScope, out var at, out _))
        {
            depth = at.Depth;
            return at.IsAtOrAbove(scope);
        }

        depth = 0;
        var trimmed = assignmentScope.Trim('/');
        return trimmed.Length == 0 || trimmed.StartsWith("providers/Microsoft.Management/managementGroups/", StringComparison.OrdinalIgnoreCase);
    }
}
