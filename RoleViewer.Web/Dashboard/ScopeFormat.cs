using RoleViewer.Web.ApiClients;

namespace RoleViewer.Web.Dashboard;

public static class ScopeFormat
{
    /// <summary>A scope as the portal's Access control blade says it: "Subscription", "Resource group rg-app",
    /// "Resource appi-web (components)", and "(inherited)" when it sits above the listed subscription.</summary>
    public static string Describe(RoleAssignmentDto item, string? listedSubscription = null) => item.ScopeKind switch
    {
        "resource" when item.ResourceName is not null => $"Resource {item.ResourceName}" + (item.ResourceType is { } type ? $" ({type.Split('/')[^1]})" : ""),
        "resourceGroup" when item.ResourceGroup is not null => $"Resource group {item.ResourceGroup}",
        "subscription" when listedSubscription is null || string.Equals(item.SubscriptionId, listedSubscription, StringComparison.OrdinalIgnoreCase) => "Subscription",
        "subscription" => $"Subscription {ShortGuid(item.SubscriptionId)}",
        "managementGroup" => $"Management group {item.ResourceName ?? item.Scope.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()} (inherited)",
        "tenant" => "Tenant root (inherited)",
        _ => item.Scope,
    };

    public static string ShortGuid(string? id) =>
        id is { Length: 36 } ? $"{id[..4]}…{id[^4..]}" : id ?? "unknown";

    /// <summary>The Azure portal's "Access control (IAM)" blade for the scope.</summary>
    public static string PortalAccessControlUrl(string scope, string? tenantId) =>
        $"https://portal.azure.com/#@{tenantId}/resource{scope}/users";

    /// <summary>The command that grants a first role to this identity, for the empty state: RoleViewer's custom role, which
    /// allows reading role assignments and definitions only (least privilege), not built-in Reader. infra/ names it per
    /// subscription, because custom role names are unique per tenant.</summary>
    public static string GrantCommand(string? principalObjectId, string? subscriptionId) =>
        $"az role assignment create --assignee-object-id {principalObjectId ?? "<principal-object-id>"} " +
        $"--assignee-principal-type ServicePrincipal --role \"RoleViewer Reader ({subscriptionId ?? "<subscription-id>"})\" --scope /subscriptions/{subscriptionId ?? "<subscription-id>"}";
}
