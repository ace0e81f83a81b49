using System.Text.Json;
using System.Text.Json.Serialization;

namespace RoleViewer.Api.Arm;

/// <summary>A Microsoft.Authorization/roleAssignments resource, as ARM returns it (api-version 2022-04-01).</summary>
public sealed record RoleAssignmentData(string Id, string Name, RoleAssignmentProperties Properties);

public sealed record RoleAssignmentProperties(
    string RoleDefinitionId,
    string PrincipalId,
    string? PrincipalType,
    string Scope,
    string? Condition,
    DateTimeOffset? CreatedOn);

/// <summary>A Microsoft.Authorization/roleDefinitions resource.</summary>
public sealed record RoleDefinitionData(string Id, string Name, RoleDefinitionProperties Properties);

public sealed record RoleDefinitionProperties(string RoleName, string? Type, string? Description, IReadOnlyList<RolePermissionData>? Permissions = null);

/// <summary>One permission block of a role definition; its notActions subtract only from this block's actions.</summary>
public sealed record RolePermissionData(
    IReadOnlyList<string>? Actions,
    IReadOnlyList<string>? NotActions,
    IReadOnlyList<string>? DataActions,
    IReadOnlyList<string>? NotDataActions);

internal sealed record ArmListResult<T>(IReadOnlyList<T>? Value, string? NextLink);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ArmListResult<RoleAssignmentData>))]
[JsonSerializable(typeof(RoleDefinitionData))]
[JsonSerializable(typeof(ArmListResult<RoleDefinitionData>))]
internal sealed partial class ArmJsonContext : JsonSerializerContext;
