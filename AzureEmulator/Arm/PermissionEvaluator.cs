namespace AzureEmulator.Arm;

/// <summary>
/// Azure RBAC's control-plane check: a principal may perform an action at a scope when one of its role assignments,
/// or one of a group it belongs to, at or above that scope has a role definition whose permission block grants the
/// action (wildcards allowed) and does not exclude it in the same block's notActions.
/// </summary>
public static class PermissionEvaluator
{
    public static bool IsAllowed(AuthorizationSnapshot state, Guid principalId, ArmScope scope, string action, IReadOnlySet<Guid>? groups = null) =>
        PermissionsAt(state, principalId, scope, groups).Any(p => Grants(p.Block, action));

    /// <summary>
    /// The permission blocks that apply to the principal at the scope: those of every role assigned to it, or to one of
    /// its groups, at or above the scope; one entry per block, with the assignment it comes from. The 403 checks and the
    /// Permissions API both read this.
    /// </summary>
    public static IEnumerable<(RoleAssignmentRecord Assignment, PermissionBlock Block)> PermissionsAt(
        AuthorizationSnapshot state, Guid principalId, ArmScope scope, IReadOnlySet<Guid>? groups = null)
    {
        foreach (var assignment in state.Assignments)
        {
            if ((assignment.PrincipalId == principalId || groups?.Contains(assignment.PrincipalId) == true)
                && assignment.ParsedScope.IsAtOrAbove(scope)
                && state.Definitions.TryGetValue(assignment.RoleDefinitionId, out var definition))
            {
                foreach (var block in definition.Permissions)
                {
                    yield return (assignment, block);
                }
            }
        }
    }

    public static bool Grants(RoleDefinitionRecord definition, string action) => definition.Permissions.Any(p => Grants(p, action));

    /// <summary>A block grants an action its actions match unless its own notActions match it too.</summary>
    public static bool Grants(PermissionBlock block, string action) =>
        block.Actions.Any(pattern => Matches(pattern, action)) && !block.NotActions.Any(pattern => Matches(pattern, action));

    /// <summary>Case-insensitive match where '*' stands for any run of characters, slashes included.</summary>
    public static bool Matches(string pattern, string action)
    {
        int p = 0, a = 0, star = -1, resume = 0;
        while (a < action.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = a;
            }
            else if (p < pattern.Length && char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(action[a]))
            {
                p++;
                a++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                a = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
