namespace AzureEmulator.Arm;

/// <summary>
/// Azure RBAC's control-plane check: a principal may perform an action at a scope when one of its role assignments,
/// or one of a group it belongs to, at or above that scope has a role definition whose permission block grants the
/// action (wildcards allowed) and does not exclude it in the same block's notActions.
/// </summary>
public static class PermissionEvaluator
{
    public static bool IsAllowed(AuthorizationSnapshot state, Guid principalId, ArmScope scope, string action, IReadOnlySet<Guid>? groups = null)
    {
        foreach (var assignment in state.Assignments)
        {
            if ((assignment.PrincipalId == principalId || groups?.Contains(assignment.PrincipalId) == true)
                && assignment.ParsedScope.IsAtOrAbove(scope)
                && state.Definitions.TryGetValue(assignment.RoleDefinitionId, out var definition)
                && Grants(definition, action))
            {
                return true;
            }
        }

        return false;
    }

    public static bool Grants(RoleDefinitionRecord definition, string action) =>
        definition.Permissions.Any(p =>
            p.Actions.Any(pattern => Matches(pattern, action)) && !p.NotActions.Any(pattern => Matches(pattern, action)));

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
