using System.Text.Json;
using System.Text.Json.Serialization;
using AzureEmulator.Hosting;
using AzureEmulator.State;
using Microsoft.Extensions.Options;

namespace AzureEmulator.Identity;

/// <summary>
/// The directory (tenant, service principals, federated identity credentials). Seeded from Seed/directory.json
/// on first start, then kept in &lt;state&gt;/directory.json and saved atomically after every change.
/// </summary>
public sealed class DirectoryStore
{
    /// <summary>Stands for the emulator's cluster issuer in seed and state files, whose port differs per run.</summary>
    public const string ClusterIssuerPlaceholder = "{clusterIssuer}";

    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Plenty for an emulator; bounds what one admin call can make the RBAC checks walk.</summary>
    public const int MaxGroupMembers = 1000;

    /// <summary>Graph's limit for a group's displayName.</summary>
    public const int MaxGroupDisplayName = 256;

    private readonly JsonStateFile<DirectoryState> _file;
    private readonly ClusterIssuer _clusterIssuer;
    private readonly Lock _gate = new();
    private readonly Lazy<DirectoryState> _seed;
    private DirectoryState _state;

    public DirectoryStore(IOptions<EmulatorOptions> options, ClusterIssuer clusterIssuer, ILogger<DirectoryStore> logger)
    {
        _clusterIssuer = clusterIssuer;
        _file = new JsonStateFile<DirectoryState>(Path.Combine(options.Value.StateDirectory, "directory.json"), SerializerOptions);
        var seedPath = Path.Combine(options.Value.SeedDirectory, "directory.json");
        _seed = new Lazy<DirectoryState>(() => LoadSeed(seedPath));
        var saved = _file.Load();
        if (saved is null)
        {
            _state = _seed.Value;
            _file.Save(_state);
            IdentityLog.DirectorySeeded(logger, seedPath, _file.Path);
        }
        else
        {
            _state = saved;
            IdentityLog.DirectoryLoaded(logger, _file.Path);
        }
    }

    public string StatePath => _file.Path;

    public string TenantId => _state.TenantId;

    /// <summary>The directory as saved, "{clusterIssuer}" left as is: what compares with <see cref="Seed"/>.</summary>
    public DirectoryState Saved => _state;

    /// <summary>The directory as seeded (Seed/directory.json), read once.</summary>
    public DirectoryState Seed => _seed.Value;

    /// <summary>Puts identities, federated credentials and groups back as seeded.</summary>
    public void ResetToSeed()
    {
        lock (_gate)
        {
            Commit(Seed);
        }
    }

    /// <summary>The current directory, with "{clusterIssuer}" replaced by the running cluster issuer.</summary>
    public DirectoryState Snapshot()
    {
        var current = _state;
        return current with
        {
            Identities = [.. current.Identities.Select(i => i with { FederatedCredentials = [.. i.FederatedCredentials.Select(Resolve)] })],
        };
    }

    public bool IsKnownTenant(string tenantId) => string.Equals(tenantId, _state.TenantId, StringComparison.OrdinalIgnoreCase);

    /// <summary>Looks a service principal up by its application (client) id; null when there is none.</summary>
    public DirectoryIdentity? FindByClientId(string clientId)
    {
        var found = _state.Identities.FirstOrDefault(i => string.Equals(i.ClientId, clientId, StringComparison.OrdinalIgnoreCase));
        return found is null ? null : found with { FederatedCredentials = [.. found.FederatedCredentials.Select(Resolve)] };
    }

    /// <summary>Looks a service principal up by its object id (a role assignment's principalId); null when there is none.</summary>
    public DirectoryIdentity? FindByObjectId(string objectId)
    {
        var found = _state.Identities.FirstOrDefault(i => string.Equals(i.ObjectId, objectId, StringComparison.OrdinalIgnoreCase));
        return found is null ? null : found with { FederatedCredentials = [.. found.FederatedCredentials.Select(Resolve)] };
    }

    public DirectoryGroup? FindGroup(string objectId) =>
        _state.Groups.FirstOrDefault(g => string.Equals(g.ObjectId, objectId, StringComparison.OrdinalIgnoreCase));

    /// <summary>The groups <paramref name="principal"/> belongs to, directly or through nested groups (Entra's transitive memberOf).</summary>
    public IReadOnlySet<Guid> GroupsOf(Guid principal)
    {
        var groups = _state.Groups;
        var found = new HashSet<Guid>();
        var pending = new Queue<Guid>([principal]);
        while (pending.TryDequeue(out var member))
        {
            foreach (var group in groups)
            {
                if (Guid.TryParse(group.ObjectId, out var id) && !found.Contains(id)
                    && group.Members.Any(m => Guid.TryParse(m, out var m2) && m2 == member))
                {
                    found.Add(id);
                    pending.Enqueue(id);
                }
            }
        }

        found.Remove(principal);
        return found;
    }

    /// <summary>Creates or replaces a group; its members must be service principals or groups of this directory.</summary>
    public GroupChange PutGroup(string objectId, string? displayName, IReadOnlyList<string>? members)
    {
        lock (_gate)
        {
            var errors = GroupErrors(_state, objectId, displayName, members ?? []).ToArray();
            if (errors.Length > 0)
            {
                return new GroupChange(GroupOutcome.Invalid, null, string.Join(" ", errors));
            }

            var group = new DirectoryGroup
            {
                ObjectId = Guid.Parse(objectId).ToString(),
                DisplayName = displayName!,
                Members = [.. (members ?? []).Select(m => Guid.Parse(m).ToString()).Distinct()],
            };
            var existing = FindGroup(objectId);
            Commit(_state with { Groups = [.. _state.Groups.Where(g => g != existing), group] });
            return new GroupChange(existing is null ? GroupOutcome.Created : GroupOutcome.Updated, group, null);
        }
    }

    public GroupChange DeleteGroup(string objectId)
    {
        lock (_gate)
        {
            var existing = FindGroup(objectId);
            if (existing is null)
            {
                return new GroupChange(GroupOutcome.NotFound, null, UnknownGroup(objectId));
            }

            // Entra drops a deleted group from the groups it was a member of.
            var remaining = _state.Groups.Where(g => g != existing)
                .Select(g => g with { Members = [.. g.Members.Where(m => !string.Equals(m, existing.ObjectId, StringComparison.OrdinalIgnoreCase))] });
            Commit(_state with { Groups = [.. remaining] });
            return new GroupChange(GroupOutcome.Deleted, existing, null);
        }
    }

    private static IEnumerable<string> GroupErrors(DirectoryState directory, string objectId, string? displayName, IReadOnlyList<string> members)
    {
        if (!Guid.TryParse(objectId, out var id))
        {
            yield return $"'{objectId}' is not an object id (a GUID).";
            yield break;
        }

        if (directory.Identities.Any(i => Guid.TryParse(i.ObjectId, out var other) && other == id))
        {
            yield return $"Object id {id} belongs to a service principal; a group needs an object id of its own.";
        }

        if (string.IsNullOrWhiteSpace(displayName) || displayName.Length > MaxGroupDisplayName)
        {
            yield return $"displayName is required and must be at most {MaxGroupDisplayName} characters (Entra's limit for a group's displayName).";
        }

        if (members.Count > MaxGroupMembers)
        {
            yield return $"members must list at most {MaxGroupMembers} object ids; this list has {members.Count}.";
            yield break;
        }

        foreach (var member in members)
        {
            if (!Guid.TryParse(member, out var memberId))
            {
                yield return $"Member '{member}' is not an object id (a GUID).";
            }
            else if (memberId == id)
            {
                yield return "A group cannot be a member of itself.";
            }
            else if (!directory.Identities.Any(i => Guid.TryParse(i.ObjectId, out var m) && m == memberId)
                && !directory.Groups.Any(g => Guid.TryParse(g.ObjectId, out var m) && m == memberId))
            {
                yield return $"Member {memberId} is neither a service principal nor a group of this directory; GET /admin/directory lists them.";
            }
        }
    }

    public FederatedCredentialChange PutFederatedCredential(string clientId, FederatedCredential credential)
    {
        var errors = FederatedCredentialRules.Validate(credential.Name, credential.Issuer, credential.Subject, credential.Audiences, credential.Description).ToArray();
        if (errors.Length > 0)
        {
            return new FederatedCredentialChange(FederatedCredentialOutcome.Invalid, string.Join(" ", errors));
        }

        // The running issuer carries this run's port: stored as the placeholder, the credential still matches after a port change.
        credential = Unresolve(credential);
        lock (_gate)
        {
            var identity = _state.Identities.FirstOrDefault(i => string.Equals(i.ClientId, clientId, StringComparison.OrdinalIgnoreCase));
            if (identity is null)
            {
                return new FederatedCredentialChange(FederatedCredentialOutcome.IdentityNotFound, UnknownIdentity(clientId));
            }

            var others = identity.FederatedCredentials.Where(f => !string.Equals(f.Name, credential.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            var exists = others.Count < identity.FederatedCredentials.Count;
            if (!exists && others.Count >= FederatedCredentialRules.MaxPerIdentity)
            {
                return new FederatedCredentialChange(FederatedCredentialOutcome.LimitReached,
                    $"'{identity.DisplayName}' already has {FederatedCredentialRules.MaxPerIdentity} federated identity credentials, Entra's maximum. Delete one first.");
            }

            var duplicate = others.FirstOrDefault(f => f.Issuer == credential.Issuer && f.Subject == credential.Subject);
            if (duplicate is not null)
            {
                return new FederatedCredentialChange(FederatedCredentialOutcome.Conflict,
                    $"Federated identity credential '{duplicate.Name}' already has this issuer and subject; Entra requires the pair to be unique per identity.");
            }

            var updated = identity with { FederatedCredentials = [.. others, credential] };
            Commit(_state with { Identities = [.. _state.Identities.Select(i => i == identity ? updated : i)] });
            return new FederatedCredentialChange(exists ? FederatedCredentialOutcome.Updated : FederatedCredentialOutcome.Created, null);
        }
    }

    public FederatedCredentialChange DeleteFederatedCredential(string clientId, string name)
    {
        lock (_gate)
        {
            var identity = _state.Identities.FirstOrDefault(i => string.Equals(i.ClientId, clientId, StringComparison.OrdinalIgnoreCase));
            if (identity is null)
            {
                return new FederatedCredentialChange(FederatedCredentialOutcome.IdentityNotFound, UnknownIdentity(clientId));
            }

            var remaining = identity.FederatedCredentials.Where(f => !string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (remaining.Count == identity.FederatedCredentials.Count)
            {
                return new FederatedCredentialChange(FederatedCredentialOutcome.CredentialNotFound,
                    $"'{identity.DisplayName}' has no federated identity credential named '{name}'.");
            }

            var updated = identity with { FederatedCredentials = remaining };
            Commit(_state with { Identities = [.. _state.Identities.Select(i => i == identity ? updated : i)] });
            return new FederatedCredentialChange(FederatedCredentialOutcome.Deleted, null);
        }
    }

    /// <summary>Entra's limit of password credentials per application is not documented as lower; 20 keeps the file small.</summary>
    public const int MaxClientSecrets = 20;

    public ClientSecretChange AddClientSecret(string clientId, string? displayName, TimeSpan lifetime, DateTimeOffset now)
    {
        if (displayName?.Length > 120 || lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromDays(730))
        {
            return new ClientSecretChange(ClientSecretOutcome.Invalid, null, null,
                "displayName must be at most 120 characters and lifetimeDays between 1 and 730 (Entra's limit for new secrets is two years).");
        }

        lock (_gate)
        {
            var identity = _state.Identities.FirstOrDefault(i => string.Equals(i.ClientId, clientId, StringComparison.OrdinalIgnoreCase));
            if (identity is null)
            {
                return new ClientSecretChange(ClientSecretOutcome.IdentityNotFound, null, null, UnknownIdentity(clientId));
            }

            if (identity.Kind != "Application")
            {
                return new ClientSecretChange(ClientSecretOutcome.NotAnApplication, null, null,
                    $"'{identity.DisplayName}' is a {identity.Kind}; Entra gives managed identities no client secrets. Use an application's client id.");
            }

            if (identity.ClientSecrets.Count >= MaxClientSecrets)
            {
                return new ClientSecretChange(ClientSecretOutcome.LimitReached, null, null,
                    $"'{identity.DisplayName}' already has {MaxClientSecrets} client secrets. Delete one first.");
            }

            var (secret, text) = ClientSecret.Create(displayName, now, lifetime);
            var updated = identity with { ClientSecrets = [.. identity.ClientSecrets, secret] };
            Commit(_state with { Identities = [.. _state.Identities.Select(i => i == identity ? updated : i)] });
            return new ClientSecretChange(ClientSecretOutcome.Added, secret, text, null);
        }
    }

    public ClientSecretChange RemoveClientSecret(string clientId, Guid keyId)
    {
        lock (_gate)
        {
            var identity = _state.Identities.FirstOrDefault(i => string.Equals(i.ClientId, clientId, StringComparison.OrdinalIgnoreCase));
            if (identity is null)
            {
                return new ClientSecretChange(ClientSecretOutcome.IdentityNotFound, null, null, UnknownIdentity(clientId));
            }

            var remaining = identity.ClientSecrets.Where(s => s.KeyId != keyId).ToList();
            if (remaining.Count == identity.ClientSecrets.Count)
            {
                return new ClientSecretChange(ClientSecretOutcome.SecretNotFound, null, null, $"'{identity.DisplayName}' has no client secret with keyId '{keyId}'.");
            }

            var updated = identity with { ClientSecrets = remaining };
            Commit(_state with { Identities = [.. _state.Identities.Select(i => i == identity ? updated : i)] });
            return new ClientSecretChange(ClientSecretOutcome.Removed, null, null, null);
        }
    }

    private void Commit(DirectoryState next)
    {
        // Save first: a change that cannot be persisted must not be served either.
        _file.Save(next);
        _state = next;
    }

    private FederatedCredential Resolve(FederatedCredential credential) =>
        credential.Issuer == ClusterIssuerPlaceholder ? credential with { Issuer = _clusterIssuer.Issuer } : credential;

    private FederatedCredential Unresolve(FederatedCredential credential) =>
        credential.Issuer == _clusterIssuer.Issuer ? credential with { Issuer = ClusterIssuerPlaceholder } : credential;

    private static string UnknownGroup(string objectId) =>
        $"No group with object id '{objectId}' is in the emulator's directory; GET /admin/directory lists them.";

    private static string UnknownIdentity(string clientId) =>
        $"No identity with client id '{clientId}' is in the emulator's directory; GET /admin/directory lists them.";

    private static DirectoryState LoadSeed(string seedPath)
    {
        if (!File.Exists(seedPath))
        {
            throw new InvalidOperationException(
                $"The directory seed file '{seedPath}' does not exist. Build the emulator (it copies Seed/directory.json to its output) " +
                "or point Emulator__SeedDirectory at the folder holding directory.json.");
        }

        var seed = new JsonStateFile<DirectoryState>(seedPath, SerializerOptions).Load()!;
        var problems = seed.Identities
            .SelectMany(i => i.FederatedCredentials.SelectMany(f => FederatedCredentialRules.Validate(f.Name, f.Issuer, f.Subject, f.Audiences, f.Description)
                .Select(e => $"{i.DisplayName}/{f.Name}: {e}")))
            .ToArray();
        problems = [.. problems, .. seed.Groups.SelectMany(g => GroupErrors(seed with { Groups = [.. seed.Groups.Where(o => o != g)] }, g.ObjectId, g.DisplayName, g.Members)
            .Select(e => $"group {g.DisplayName}: {e}"))];
        if (problems.Length > 0)
        {
            throw new InvalidOperationException($"The directory seed file '{seedPath}' is invalid: {string.Join(" ", problems)}");
        }

        return seed;
    }
}

public enum FederatedCredentialOutcome
{
    Created,
    Updated,
    Deleted,
    Invalid,
    IdentityNotFound,
    CredentialNotFound,
    LimitReached,
    Conflict,
}

/// <summary>The result of a change to an identity's federated credentials; Error says what is wrong and how to fix it.</summary>
public sealed record FederatedCredentialChange(FederatedCredentialOutcome Outcome, string? Error);

public enum GroupOutcome
{
    Created,
    Updated,
    Deleted,
    Invalid,
    NotFound,
}

/// <summary>The result of a change to a group; Error says what is wrong and how to fix it.</summary>
public sealed record GroupChange(GroupOutcome Outcome, DirectoryGroup? Group, string? Error);
