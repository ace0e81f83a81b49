using System.Text.Json;
using System.Text.Json.Serialization;

namespace AzureEmulator.Arm;

/// <summary>
/// Everything Microsoft.Authorization knows: role definitions and role assignments. The seed file
/// (Seed/authorization.json) and the persisted state file (&lt;StateDirectory&gt;/authorization.json) share this shape.
/// </summary>
public sealed record AuthorizationState
{
    public required IReadOnlyList<RoleDefinitionRecord> RoleDefinitions { get; init; }

    public required IReadOnlyList<RoleAssignmentRecord> RoleAssignments { get; init; }

    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

public sealed record RoleDefinitionRecord
{
    /// <summary>The role definition's GUID (its "name" in ARM).</summary>
    public required Guid Id { get; init; }

    public required string RoleName { get; init; }

    /// <summary>"BuiltInRole" or "CustomRole".</summary>
    public required string Type { get; init; }

    public required string Description { get; init; }

    public required IReadOnlyList<string> AssignableScopes { get; init; }

    public required IReadOnlyList<PermissionBlock> Permissions { get; init; }

    public DateTime? CreatedOn { get; init; }

    public DateTime? UpdatedOn { get; init; }

    public string? CreatedBy { get; init; }

    public string? UpdatedBy { get; init; }

    public bool IsBuiltIn => Type.Equals("BuiltInRole", StringComparison.OrdinalIgnoreCase);
}

public sealed record PermissionBlock
{
    public IReadOnlyList<string> Actions { get; init; } = [];

    public IReadOnlyList<string> NotActions { get; init; } = [];

    public IReadOnlyList<string> DataActions { get; init; } = [];

    public IReadOnlyList<string> NotDataActions { get; init; } = [];
}

public sealed record RoleAssignmentRecord
{
    /// <summary>The assignment's GUID name, unique in the tenant.</summary>
    public required Guid Name { get; init; }

    public required string Scope
    {
        get => _scope;
        init
        {
            // Parsed once here: listing compares scopes for every assignment on every page.
            ParsedScope = ArmScope.TryParse(value, out var parsed) ? parsed : throw new JsonException($"'{value}' is not an ARM scope.");
            _scope = parsed.Value;
        }
    }

    [JsonIgnore]
    public ArmScope ParsedScope { get; private init; } = ArmScope.Root;

    public required Guid RoleDefinitionId { get; init; }

    public required Guid PrincipalId { get; init; }

    public required string PrincipalType { get; init; }

    public string? Description { get; init; }

    public string? Condition { get; init; }

    public string? ConditionVersion { get; init; }

    public required DateTime CreatedOn { get; init; }

    public required DateTime UpdatedOn { get; init; }

    public string? CreatedBy { get; init; }

    public string? UpdatedBy { get; init; }

    private readonly string _scope = "/";
}
