using System.Text.Json;
using System.Text.Json.Nodes;

namespace AzureEmulator.Arm;

/// <summary>
/// How each served api-version shapes role assignments and role definitions, after the REST specs
/// (Azure/azure-rest-api-specs, Microsoft.Authorization): the resources are built once in the newest shape and
/// older versions drop the properties they did not have yet.
/// </summary>
public static class ArmShapes
{
    public static readonly IReadOnlyList<string> RoleAssignmentVersions = ["2015-07-01", "2018-01-01-preview", "2020-04-01-preview", "2022-04-01"];

    /// <summary>2020-04-01-preview has no roleDefinitions; 2022-05-01-preview has only roleDefinitions.</summary>
    public static readonly IReadOnlyList<string> RoleDefinitionVersions = ["2015-07-01", "2018-01-01-preview", "2022-04-01", "2022-05-01-preview"];

    private static readonly string[] AssignmentPropertiesBefore2020 = ["roleDefinitionId", "principalId", "scope"];

    private static readonly string[] DefinitionAuditProperties = ["createdOn", "updatedOn", "createdBy", "updatedBy"];

    private static readonly string[] DataActionProperties = ["dataActions", "notDataActions"];

    public static JsonNode Assignment(RoleAssignmentResource resource, string apiVersion)
    {
        var node = JsonSerializer.SerializeToNode(resource, ArmServices.SerializerOptions)!;
        if (apiVersion is "2015-07-01" or "2018-01-01-preview")
        {
            Keep(node["properties"]!.AsObject(), AssignmentPropertiesBefore2020);
        }

        return node;
    }

    public static JsonNode Definition(RoleDefinitionResource resource, string apiVersion)
    {
        var node = JsonSerializer.SerializeToNode(resource, ArmServices.SerializerOptions)!;
        var properties = node["properties"]!.AsObject();
        if (apiVersion is "2015-07-01" or "2018-01-01-preview")
        {
            Remove(properties, DefinitionAuditProperties);
        }

        foreach (var permission in properties["permissions"]!.AsArray().Select(p => p!.AsObject()))
        {
            if (apiVersion == "2015-07-01")
            {
                Remove(permission, DataActionProperties);
            }
            else if (apiVersion == "2022-05-01-preview")
            {
                // The preview added conditions to permission blocks; no emulated role has one.
                permission["condition"] = null;
                permission["conditionVersion"] = null;
            }
        }

        return node;
    }

    /// <summary>A list page: {"value":[…]} and nextLink only when another page follows, as ARM does.</summary>
    public static JsonObject Page(IEnumerable<JsonNode> items, string? nextLink)
    {
        var page = new JsonObject { ["value"] = new JsonArray([.. items]) };
        if (nextLink is not null)
        {
            page["nextLink"] = nextLink;
        }

        return page;
    }

    private static void Keep(JsonObject properties, string[] names)
    {
        foreach (var key in properties.Select(p => p.Key).Where(k => !names.Contains(k)).ToList())
        {
            properties.Remove(key);
        }
    }

    private static void Remove(JsonObject properties, string[] names)
    {
        foreach (var name in names)
        {
            properties.Remove(name);
        }
    }
}
