using System.Text.Json.Nodes;

namespace AzureEmulator.Arm;

/// <summary>
/// ARM's own GET /subscriptions, /subscriptions/{id} and /tenants (Microsoft.Resources, api-version 2022-12-01 and
/// older). A caller sees a subscription when it holds a role in it — at, above or below the subscription, directly or
/// through a group — as in Azure, where a role on one resource group is enough to list its subscription.
/// </summary>
public static class SubscriptionOperations
{
    private static readonly IReadOnlyList<string> Versions = ["2016-06-01", "2019-11-01", "2020-01-01", "2021-01-01", "2022-12-01"];

    public static readonly ArmResourceType Subscriptions = new(null, "subscriptions", Versions);

    public static readonly ArmResourceType Tenants = new(null, "tenants", Versions);

    public static Task<ArmOutcome> ListAsync(ArmRequest request)
    {
        var visible = request.Arm.Directory.Snapshot().SubscriptionIds.Where(s => HoldsRoleIn(request, s)).Select(s => Subscription(request, s)).ToArray();
        var body = new JsonObject
        {
            ["value"] = new JsonArray(visible),
            ["count"] = new JsonObject { ["type"] = "Total", ["value"] = visible.Length },
        };
        return Task.FromResult(ArmOutcome.Ok(TypedResults.Json(body, request.Arm.Json)));
    }

    public static Task<ArmOutcome> GetAsync(ArmRequest request)
    {
        // The front door has already answered SubscriptionNotFound for subscriptions the directory does not hold.
        var id = request.Arm.Directory.Snapshot().SubscriptionIds.FirstOrDefault(s => s.Equals(request.Name, StringComparison.OrdinalIgnoreCase));
        return Task.FromResult(id is not null && HoldsRoleIn(request, id)
            ? ArmOutcome.Ok(TypedResults.Json(Subscription(request, id), request.Arm.Json))
            : new ArmError(404, "SubscriptionNotFound", $"The subscription '{request.Name}' could not be found."));
    }

    public static Task<ArmOutcome> ListTenantsAsync(ArmRequest request)
    {
        var tenantId = request.Arm.Directory.TenantId;
        var tenant = new JsonObject
        {
            ["id"] = $"/tenants/{tenantId}",
            ["tenantId"] = tenantId,
            ["countryCode"] = "US",
            ["displayName"] = "RoleViewer emulator",
            ["domains"] = new JsonArray("roleviewer-emulator.onmicrosoft.com"),
            ["tenantCategory"] = "Home",
            ["defaultDomain"] = "roleviewer-emulator.onmicrosoft.com",
            ["tenantType"] = "AAD",
        };
        return Task.FromResult(ArmOutcome.Ok(TypedResults.Json(new JsonObject { ["value"] = new JsonArray(tenant) }, request.Arm.Json)));
    }

    private static bool HoldsRoleIn(ArmRequest request, string subscriptionId)
    {
        var subscription = ArmScope.ForSubscription(subscriptionId);
        var caller = request.Who.ObjectId;
        var groups = request.Arm.Directory.GroupsOf(caller);
        return request.Arm.Store.Snapshot.Assignments.Any(a =>
            (a.PrincipalId == caller || groups.Contains(a.PrincipalId)) && a.ParsedScope.IsRelatedTo(subscription));
    }

    private static JsonObject Subscription(ArmRequest request, string subscriptionId) => new()
    {
        ["id"] = $"/subscriptions/{subscriptionId}",
        ["authorizationSource"] = "RoleBased",
        ["managedByTenants"] = new JsonArray(),
        ["subscriptionId"] = subscriptionId,
        ["tenantId"] = request.Arm.Directory.TenantId,
        ["displayName"] = $"RoleViewer emulator ({subscriptionId[..8]})",
        ["state"] = "Enabled",
        ["subscriptionPolicies"] = new JsonObject
        {
            ["locationPlacementId"] = "Public_2014-09-01",
            ["quotaId"] = "PayAsYouGo_2014-09-01",
            ["spendingLimit"] = "Off",
        },
    };
}
