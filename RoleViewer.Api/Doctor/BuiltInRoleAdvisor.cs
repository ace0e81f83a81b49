using Microsoft.Extensions.Options;
using RoleViewer.Api.Arm;
using RoleViewer.Api.Permissions;
using RoleViewer.Api.RoleAssignments;

namespace RoleViewer.Api.Doctor;

/// <summary>
/// Names the smallest built-in role that grants an action, for the doctor's fix when ARM refuses one. Built-in role
/// definitions are read once per <see cref="RoleAssignmentsOptions.RoleDefinitionTtl"/>, and only after a refusal.
/// </summary>
public sealed class BuiltInRoleAdvisor(ArmClient client, IOptions<RoleAssignmentsOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private (Task<IReadOnlyList<RoleDefinitionData>> Roles, DateTimeOffset At)? _builtIns;

    /// <summary>The built-in role granting <paramref name="action"/> that grants the fewest known operations, or null when none does.</summary>
    public async Task<RoleDefinitionData?> SmallestGrantingAsync(string action, CancellationToken cancellationToken)
    {
        var roles = await BuiltInsAsync(cancellationToken);
        return Smallest(roles, action);
    }

    /// <summary>
    /// "Fewest actions", made meaningful under wildcards (Owner's "*" is one entry): a role's size is how many of the
    /// operations named anywhere in the built-in roles (plus the one asked for) it grants, counting first those that
    /// change something (not ending in /read), so a read-only role beats a narrow writer. Ties: fewer entries, then name.
    /// </summary>
    public static RoleDefinitionData? Smallest(IReadOnlyList<RoleDefinitionData> roles, string action)
    {
        var known = roles.SelectMany(r => r.Properties.Permissions ?? []).SelectMany(p => p.Actions ?? [])
            .Where(a => !a.Contains('*', StringComparison.Ordinal))
            .Append(action)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var changing = known.Where(a => !a.EndsWith("/read", StringComparison.OrdinalIgnoreCase)).ToList();
        return roles
            .Where(r => Grants(r, action))
            .OrderBy(r => changing.Count(k => Grants(r, k)))
            .ThenBy(r => known.Count(k => Grants(r, k)))
            .ThenBy(r => (r.Properties.Permissions ?? []).Sum(p => p.Actions?.Count ?? 0))
            .ThenBy(r => r.Properties.RoleName, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    public static bool Grants(RoleDefinitionData role, string action) =>
        (role.Properties.Permissions ?? []).Any(p =>
            ActionPattern.FirstMatch(p.Actions, action) is not null && ActionPattern.FirstMatch(p.NotActions, action) is null);

    private Task<IReadOnlyList<RoleDefinitionData>> BuiltInsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // One listing at a time; a failed one is forgotten so the next refusal asks again.
            if (_builtIns is not { } cached || cached.Roles.IsFaulted || cached.Roles.IsCanceled
                || time.GetUtcNow() - cached.At >= options.Value.RoleDefinitionTtl)
            {
                _builtIns = (ListAsync(), time.GetUtcNow());
            }

            return _builtIns.Value.Roles.WaitAsync(cancellationToken);
        }
    }

    private async Task<IReadOnlyList<RoleDefinitionData>> ListAsync()
    {
        await Task.Yield();
        var roles = new List<RoleDefinitionData>();
        // Built-in roles are tenant-wide: list them at the root, which needs no role of ours.
        await foreach (var role in client.GetRoleDefinitionsAsync("/", "type eq 'BuiltInRole'", CancellationToken.None))
        {
            roles.Add(role);
        }

        return roles;
    }
}
