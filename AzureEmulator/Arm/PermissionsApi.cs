using System.Text.Json;
using System.Text.Json.Nodes;

namespace AzureEmulator.Arm;

/// <summary>
/// ARM's Permissions API, GET {scope}/providers/Microsoft.Authorization/permissions: the caller's own permission
/// blocks at a resource group or resource, and at a subscription, which real ARM serves although the REST spec does
/// not list it (Azure/azure-rest-api-specs#19473). Registered in <see cref="ArmApi.Operations"/>.
/// </summary>
public static class PermissionsApi
{
    /// <summary>The served versions whose REST spec has the Permissions API: the same as for role definitions.</summary>
    public static readonly ArmResourceType Permissions = new("Microsoft.Authorization", "permissions", ArmShapes.RoleDefinitionVersions);

    private static readonly string[] DataActionProperties = ["dataActions", "notDataActions"];

    /// <summary>One entry per permission block of every role that applies, from the same evaluator as ARM's 403s.</summary>
    public static Task<ArmOutcome> ListAsync(ArmRequest request)
    {
        if (request.Scope.SubscriptionId is null)
        {
            return Task.FromResult<ArmOutcome>(new ArmError(400, "InvalidScope",
                $"The scope '{request.Scope.Value}' is not valid for listing permissions: use a subscription, a resource group or a resource."));
        }

        // Asking for one's own permissions needs no role: a caller with none gets an empty list, not a 403.
        var caller = request.Who.ObjectId;
        var blocks = PermissionEvaluator.PermissionsAt(request.Arm.Store.Snapshot, caller, request.Scope, request.Arm.Directory.GroupsOf(caller))
            .Select(p => Shape(new PermissionResource(p.Block.Actions, p.Block.NotActions, p.Block.DataActions, p.Block.NotDataActions), request.ApiVersion))
            .ToArray();
        return Task.FromResult(ArmOutcome.Ok(TypedResults.Json(new ArmPage<JsonObject>(blocks, null), request.Arm.Json)));
    }

    // 2015-07-01 had no data actions; 2022-05-01-preview added conditions to permission blocks (no emulated role has one).
    private static JsonObject Shape(PermissionResource permission, string apiVersion)
    {
        var node = JsonSerializer.SerializeToNode(permission, ArmServices.SerializerOptions)!.AsObject();
        if (apiVersion == "2015-07-01")
        {
            foreach (var property in DataActionProperties)
            {
                node.Remove(property);
            }
        }
        else if (apiVersion == "2022-05-01-preview")
        {
            node["condition"] = null;
            node["conditionVersion"] = null;
        }

        return node;
    }
}

/// <summary>A Permission in the 2022-04-01 shape, from which the other versions are made.</summary>
public sealed record PermissionResource(
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> NotActions,
    IReadOnlyList<string> DataActions,
    IReadOnlyList<string> NotDataActions);
