using System.Text.Json;
using AzureEmulator.Arm;
using AzureEmulator.Identity;

namespace AzureEmulator.State;

/// <summary>One way the saved state differs from the seed. Area: roleAssignments, roleDefinitions, groups, federatedCredentials or identities.</summary>
public sealed record StateDifference(string Area, string Detail);

/// <summary>GET /admin/state: whether the persisted state still equals the seed, what differs, and where it is kept.</summary>
public sealed record SeedDriftReport(bool DiffersFromSeed, IReadOnlyList<StateDifference> Differences, IReadOnlyList<string> StateFiles);

/// <summary>
/// Compares the persisted directory and authorization data with their seeds, in words a person can act on. Lists
/// and members compare as sets: the admin API reorders them without changing what they mean.
/// </summary>
public static class SeedDrift
{
    /// <summary>Past this many changes in one area, the rest are counted, not listed (a benchmark adds thousands).</summary>
    public const int MaxListedPerArea = 5;

    public static IReadOnlyList<StateDifference> Compare(
        DirectoryState seedDirectory, DirectoryState directory, AuthorizationState seedAuthorization, AuthorizationState authorization)
    {
        var names = directory.Identities.Concat(seedDirectory.Identities)
            .DistinctBy(i => i.ObjectId, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(i => i.ObjectId, i => i.DisplayName, StringComparer.OrdinalIgnoreCase);
        foreach (var group in directory.Groups.Concat(seedDirectory.Groups))
        {
            names.TryAdd(group.ObjectId, group.DisplayName);
        }

        var roles = authorization.RoleDefinitions.Concat(seedAuthorization.RoleDefinitions)
            .DistinctBy(d => d.Id).ToDictionary(d => d.Id, d => d.RoleName);
        string Principal(Guid id) => names.TryGetValue(id.ToString(), out var name) ? name : id.ToString();
        string Role(Guid id) => roles.TryGetValue(id, out var name) ? name : id.ToString();

        return
        [
            .. Changes("roleAssignments", "role assignment", seedAuthorization.RoleAssignments, authorization.RoleAssignments,
                a => a.Name.ToString(), a => $"{Role(a.RoleDefinitionId)} for {Principal(a.PrincipalId)} at {a.Scope}"),
            .. Changes("roleDefinitions", "role definition", seedAuthorization.RoleDefinitions, authorization.RoleDefinitions,
                d => d.Id.ToString(), d => d.RoleName),
            .. Changes("groups", "group", seedDirectory.Groups, directory.Groups,
                g => g.ObjectId.ToLowerInvariant(), g => $"{g.DisplayName} ({g.Members.Count} member{(g.Members.Count == 1 ? "" : "s")})",
                g => g with { ObjectId = g.ObjectId.ToLowerInvariant(), Members = [.. g.Members.Select(m => m.ToLowerInvariant()).Order()] }),
            .. Changes("identities", "identity", seedDirectory.Identities, directory.Identities,
                i => i.ClientId.ToLowerInvariant(), i => i.DisplayName, i => i with { FederatedCredentials = [] }),
            .. seedDirectory.Identities.Concat(directory.Identities).DistinctBy(i => i.ClientId, StringComparer.OrdinalIgnoreCase)
                .SelectMany(i => Changes("federatedCredentials", $"federated credential of {i.DisplayName}",
                    FederatedCredentialsOf(seedDirectory, i.ClientId), FederatedCredentialsOf(directory, i.ClientId),
                    f => f.Name.ToLowerInvariant(), f => $"'{f.Name}' (issuer {f.Issuer}, subject {f.Subject})",
                    // What a credential trusts is its issuer, subject and audiences; a description is only a note.
                    f => f with { Name = f.Name.ToLowerInvariant(), Audiences = [.. f.Audiences.Order()], Description = null })),
        ];
    }

    private static IReadOnlyList<FederatedCredential> FederatedCredentialsOf(DirectoryState directory, string clientId) =>
        directory.Identities.FirstOrDefault(i => string.Equals(i.ClientId, clientId, StringComparison.OrdinalIgnoreCase))?.FederatedCredentials ?? [];

    /// <param name="key">What identifies an item across seed and state.</param>
    /// <param name="describe">The item in a few words.</param>
    /// <param name="normalize">The item with what does not change its meaning (order, case) made canonical.</param>
    private static IEnumerable<StateDifference> Changes<T>(
        string area, string noun, IEnumerable<T> seed, IEnumerable<T> saved, Func<T, string> key, Func<T, string> describe, Func<T, T>? normalize = null)
    {
        var before = seed.ToDictionary(key);
        var after = saved.ToDictionary(key);
        string Json(T item) => JsonSerializer.Serialize(normalize is null ? item : normalize(item), DirectoryStore.SerializerOptions);

        var lines = new List<(string Kind, string Detail)>();
        lines.AddRange(after.Where(a => !before.ContainsKey(a.Key)).Select(a => ("added", $"{Capitalize(noun)} added: {describe(a.Value)}.")));
        lines.AddRange(before.Where(b => !after.ContainsKey(b.Key)).Select(b => ("removed", $"{Capitalize(noun)} removed: {describe(b.Value)}.")));
        lines.AddRange(after.Where(a => before.TryGetValue(a.Key, out var b) && Json(b) != Json(a.Value))
            .Select(a => ("changed", $"{Capitalize(noun)} changed: {describe(a.Value)}; the seed has {describe(before[a.Key])}.")));

        foreach (var (_, detail) in lines.Take(MaxListedPerArea))
        {
            yield return new StateDifference(area, detail);
        }

        if (lines.Count > MaxListedPerArea)
        {
            var rest = lines.Skip(MaxListedPerArea).GroupBy(l => l.Kind).Select(g => $"{g.Count()} {g.Key}");
            yield return new StateDifference(area, $"… and {lines.Count - MaxListedPerArea} more {noun} changes ({string.Join(", ", rest)}).");
        }
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
