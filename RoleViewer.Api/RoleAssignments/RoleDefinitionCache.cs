using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.Options;
using RoleViewer.Api.Arm;

namespace RoleViewer.Api.RoleAssignments;

/// <summary>Role definitions by id, each fetched once per <see cref="RoleAssignmentsOptions.RoleDefinitionTtl"/>.</summary>
public sealed class RoleDefinitionCache(ArmClient client, IOptions<RoleAssignmentsOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);

    private sealed record Entry(Lazy<Task<RoleDefinitionData?>> Definition, DateTimeOffset FetchedAt);

    /// <summary>Definitions by id; an id ARM no longer knows (a deleted custom role) maps to null.</summary>
    public async Task<IReadOnlyDictionary<string, RoleDefinitionData?>> ResolveAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var distinct = ids.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var definitions = await Task.WhenAll(distinct.Select(id => GetAsync(id).WaitAsync(cancellationToken)));
        return distinct.Zip(definitions).ToDictionary(p => p.First, p => p.Second, StringComparer.OrdinalIgnoreCase);
    }

    private Task<RoleDefinitionData?> GetAsync(string id)
    {
        var now = time.GetUtcNow();
        while (true)
        {
            if (_entries.TryGetValue(id, out var entry)
                && !entry.Definition.Value.IsFaulted && !entry.Definition.Value.IsCanceled
                && now - entry.FetchedAt < options.Value.RoleDefinitionTtl)
            {
                return entry.Definition.Value;
            }

            // One fetch per id however many listings ask at once; a failed fetch is dropped so the next listing retries it.
            var fresh = new Entry(new Lazy<Task<RoleDefinitionData?>>(() => FetchAsync(id)), now);
            if (entry is null ? _entries.TryAdd(id, fresh) : _entries.TryUpdate(id, fresh, entry))
            {
                return fresh.Definition.Value;
            }
        }
    }

    private async Task<RoleDefinitionData?> FetchAsync(string id)
    {
        await Task.Yield();
        try
        {
            var response = await client.GetRoleDefinitionByIdAsync(id, CancellationToken.None);
            return response.Value;
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }
}
