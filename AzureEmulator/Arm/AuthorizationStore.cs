using AzureEmulator.State;

namespace AzureEmulator.Arm;

/// <summary>An immutable view of the authorization data; readers use one snapshot for a whole request.</summary>
public sealed class AuthorizationSnapshot
{
    public AuthorizationSnapshot(AuthorizationState state)
    {
        State = state;
        Definitions = state.RoleDefinitions.ToDictionary(d => d.Id);
        // Sorted by name: a page's $skipToken is the last name it returned, so pages stay stable while others write.
        Assignments = [.. state.RoleAssignments.OrderBy(a => a.Name)];
    }

    public AuthorizationState State { get; }

    public IReadOnlyDictionary<Guid, RoleDefinitionRecord> Definitions { get; }

    public RoleAssignmentRecord[] Assignments { get; }
}

/// <summary>Why a change to role assignments was refused; the endpoint turns it into ARM's error.</summary>
public enum AssignmentChangeOutcome
{
    Created,
    Unchanged,
    Updated,
    Exists,
    UpdateNotPermitted,
    LimitExceeded,
}

public sealed record AssignmentChange(AssignmentChangeOutcome Outcome, RoleAssignmentRecord Assignment);

public enum DefinitionChangeOutcome
{
    Created,
    Updated,
    Deleted,
    Missing,
    BuiltIn,
    NameTaken,
    HasAssignments,
}

public sealed record DefinitionChange(DefinitionChangeOutcome Outcome, RoleDefinitionRecord? Definition);

/// <summary>
/// Role definitions and role assignments. Seeded from Seed/authorization.json on first start, then kept in
/// &lt;state&gt;/authorization.json, saved atomically before any change is served.
/// </summary>
public sealed partial class AuthorizationStore
{
    private readonly JsonStateFile<AuthorizationState> _file;
    private readonly int _maxPerSubscription;
    private readonly Lock _gate = new();
    private readonly Lazy<AuthorizationState> _seed;
    private AuthorizationSnapshot _current;

    public AuthorizationStore(string stateFile, string seedFile, int maxAssignmentsPerSubscription, ILogger<AuthorizationStore> logger)
    {
        _maxPerSubscription = maxAssignmentsPerSubscription;
        _file = new JsonStateFile<AuthorizationState>(stateFile, AuthorizationState.SerializerOptions);
        _seed = new Lazy<AuthorizationState>(() => LoadSeed(seedFile));
        var saved = _file.Load();
        if (saved is null)
        {
            saved = _seed.Value;
            _file.Save(saved);
            LogSeeded(logger, seedFile, _file.Path);
        }
        else
        {
            LogLoaded(logger, _file.Path);
        }

        _current = new AuthorizationSnapshot(saved);
    }

    public string StatePath => _file.Path;

    public AuthorizationSnapshot Snapshot => Volatile.Read(ref _current);

    /// <summary>Role definitions and assignments as seeded (Seed/authorization.json), read once.</summary>
    public AuthorizationState Seed => _seed.Value;

    /// <summary>Puts role definitions and assignments back as seeded.</summary>
    public void ResetToSeed()
    {
        lock (_gate)
        {
            Commit(Seed);
        }
    }

    /// <summary>Creates the assignment, or applies an ARM-permitted update (description, condition) to the one with the same name.</summary>
    public AssignmentChange Put(RoleAssignmentRecord requested)
    {
        lock (_gate)
        {
            var state = _current;
            var existing = state.Assignments.FirstOrDefault(a => a.Name == requested.Name);
            if (existing is not null)
            {
                if (!existing.ParsedScope.Equals(requested.ParsedScope) || existing.PrincipalId != requested.PrincipalId || existing.RoleDefinitionId != requested.RoleDefinitionId)
                {
                    return new(AssignmentChangeOutcome.UpdateNotPermitted, existing);
                }

                if (existing.Description == requested.Description && existing.Condition == requested.Condition && existing.ConditionVersion == requested.ConditionVersion)
                {
                    return new(AssignmentChangeOutcome.Unchanged, existing);
                }

                var updated = existing with
                {
                    Description = requested.Description,
                    Condition = requested.Condition,
                    ConditionVersion = requested.ConditionVersion,
                    UpdatedOn = requested.UpdatedOn,
                    UpdatedBy = requested.UpdatedBy,
                };
                Commit(state.State with { RoleAssignments = [.. state.State.RoleAssignments.Select(a => a.Name == existing.Name ? updated : a)] });
                return new(AssignmentChangeOutcome.Updated, updated);
            }

            var duplicate = state.Assignments.FirstOrDefault(a =>
                a.PrincipalId == requested.PrincipalId && a.RoleDefinitionId == requested.RoleDefinitionId && a.ParsedScope.Equals(requested.ParsedScope));
            if (duplicate is not null)
            {
                return new(AssignmentChangeOutcome.Exists, duplicate);
            }

            if (requested.ParsedScope.SubscriptionId is { } subscription && CountInSubscription(state, subscription) >= _maxPerSubscription)
            {
                return new(AssignmentChangeOutcome.LimitExceeded, requested);
            }

            Commit(state.State with { RoleAssignments = [.. state.State.RoleAssignments, requested] });
            return new(AssignmentChangeOutcome.Created, requested);
        }
    }

    /// <summary>Creates or replaces a custom role definition; refuses a second custom role of the same name, as ARM does.</summary>
    public DefinitionChange PutDefinition(RoleDefinitionRecord requested)
    {
        lock (_gate)
        {
            var state = _current;
            if (state.Definitions.TryGetValue(requested.Id, out var existing) && existing.IsBuiltIn)
            {
                return new(DefinitionChangeOutcome.BuiltIn, existing);
            }

            if (state.Definitions.Values.FirstOrDefault(d => d.Id != requested.Id && !d.IsBuiltIn && d.RoleName.Equals(requested.RoleName, StringComparison.OrdinalIgnoreCase)) is { } sameName)
            {
                return new(DefinitionChangeOutcome.NameTaken, sameName);
            }

            var stored = existing is null ? requested : requested with { CreatedOn = existing.CreatedOn, CreatedBy = existing.CreatedBy };
            Commit(state.State with { RoleDefinitions = [.. state.State.RoleDefinitions.Where(d => d.Id != requested.Id), stored] });
            return new(existing is null ? DefinitionChangeOutcome.Created : DefinitionChangeOutcome.Updated, stored);
        }
    }

    /// <returns>Deleted with the removed role, Missing when there was none, or why it stays (built in, still assigned).</returns>
    public DefinitionChange DeleteDefinition(Guid id)
    {
        lock (_gate)
        {
            var state = _current;
            if (!state.Definitions.TryGetValue(id, out var existing))
            {
                return new(DefinitionChangeOutcome.Missing, null);
            }

            if (existing.IsBuiltIn)
            {
                return new(DefinitionChangeOutcome.BuiltIn, existing);
            }

            if (state.Assignments.Any(a => a.RoleDefinitionId == id))
            {
                return new(DefinitionChangeOutcome.HasAssignments, existing);
            }

            Commit(state.State with { RoleDefinitions = [.. state.State.RoleDefinitions.Where(d => d.Id != id)] });
            return new(DefinitionChangeOutcome.Deleted, existing);
        }
    }

    /// <summary>Adds many assignments in one save (admin API, benchmarks); stops at the subscription limit.</summary>
    public int AddMany(IEnumerable<RoleAssignmentRecord> assignments)
    {
        lock (_gate)
        {
            var state = _current;
            var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var added = new List<RoleAssignmentRecord>();
            foreach (var a in assignments)
            {
                var subscription = a.ParsedScope.SubscriptionId ?? "";
                var count = counts.TryGetValue(subscription, out var c) ? c : CountInSubscription(state, subscription);
                if (count >= _maxPerSubscription)
                {
                    break;
                }

                counts[subscription] = count + 1;
                added.Add(a);
            }

            Commit(state.State with { RoleAssignments = [.. state.State.RoleAssignments, .. added] });
            return added.Count;
        }
    }

    /// <returns>The removed assignment, or null when there was none with that name at that scope.</returns>
    public RoleAssignmentRecord? Delete(ArmScope scope, Guid name)
    {
        lock (_gate)
        {
            var state = _current;
            var existing = state.Assignments.FirstOrDefault(a => a.Name == name && a.ParsedScope.Equals(scope));
            if (existing is null)
            {
                return null;
            }

            Commit(state.State with { RoleAssignments = [.. state.State.RoleAssignments.Where(a => a.Name != name)] });
            return existing;
        }
    }

    /// <returns>How many assignments were removed.</returns>
    public int RemoveWhere(Func<RoleAssignmentRecord, bool> predicate)
    {
        lock (_gate)
        {
            var state = _current;
            var kept = state.State.RoleAssignments.Where(a => !predicate(a)).ToList();
            var removed = state.State.RoleAssignments.Count - kept.Count;
            if (removed > 0)
            {
                Commit(state.State with { RoleAssignments = kept });
            }

            return removed;
        }
    }

    private static AuthorizationState LoadSeed(string seedFile)
    {
        if (!File.Exists(seedFile))
        {
            throw new InvalidOperationException(
                $"The authorization seed file '{seedFile}' does not exist. Build the emulator (it copies Seed/authorization.json " +
                "to its output) or point Emulator__SeedDirectory at the folder holding authorization.json.");
        }

        return new JsonStateFile<AuthorizationState>(seedFile, AuthorizationState.SerializerOptions).Load()!;
    }

    private static int CountInSubscription(AuthorizationSnapshot state, string subscription) =>
        state.Assignments.Count(a => string.Equals(a.ParsedScope.SubscriptionId, subscription, StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Information, Message = "Role definitions and assignments seeded from {SeedFile} into {StateFile}")]
    private static partial void LogSeeded(ILogger logger, string seedFile, string stateFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Role definitions and assignments loaded from {StateFile}")]
    private static partial void LogLoaded(ILogger logger, string stateFile);

    private void Commit(AuthorizationState next)
    {
        // Save first: a change that cannot be persisted must not be served either.
        _file.Save(next);
        Volatile.Write(ref _current, new AuthorizationSnapshot(next));
    }
}
