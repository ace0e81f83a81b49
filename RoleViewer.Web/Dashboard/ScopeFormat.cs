using RoleViewer.Web.ApiClients;

namespace RoleViewer.Web.Dashboard;

public static class ScopeFormat
{
    /// <summary>A scope as people say it: "subscription 3f2b…5e6f", "resource group rg-app", "Microsoft.Storage/storageAccounts st1".</summary>
    public static string Describe(RoleAssignmentDto item) => item.ScopeKind switch
    {
        "resource" when item.ResourceName is not null => $"{item.ResourceType ?? "resource"} {item.ResourceName}",
        "resourceGroup" when item.ResourceGroup is not null => $"resource group {item.ResourceGroup}",
        "subscription" when item.SubscriptionId is not null => $"subscription {ShortGuid(item.SubscriptionId)}",
        "managementGroup" => $"management group {item.Scope.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()}",
        _ => item.Scope,
    };

    public static string ShortGuid(string? id) =>
        id is { Length: 36 } ? $"{id[..4]}…{id[^4..]}" : id ?? "—";

    /// <summary>The Azure portal's "Access control (IAM)" blade for the scope.</summary>
    public static string PortalAccessControlUrl(string scope, string? tenantId) =>
        $"https://portal.azure.com/#@{tenantId}/resource{scope}/users";

    /// <summary>The command that grants a first role to this identity, for the empty state: RoleViewer's custom role, which
/// allows reading role assignments and definitions only (least privilege), not built-in Reader.</summary>
    public static string GrantCommand(string? principalObjectId, string? subscriptionId) =>
        $"az role assignment create --assignee-object-id {principalObjectId ?? "<principal-object-id>"} " +
        $"--assignee-principal-type ServicePrincipal --role \"RoleViewer Reader\" --scope /subscriptions/{subscriptionId ?? "<subscription-id>"}";
}
