using System.Globalization;
using RoleViewer.Web.ApiClients;

namespace RoleViewer.Web.Dashboard;

/// <summary>One role assignment as the table shows it, in the portal's words: role, scope, how the identity holds it, since when.</summary>
public sealed record AssignmentRow(RoleAssignmentDto Item, string Role, string Scope, string Via, bool Direct)
{
    /// <param name="principal">The identity's object id: an assignment to anything else reached it through a group.</param>
    /// <param name="listedSubscription">The subscription the Api lists, which the scope column calls just "Subscription".</param>
    /// <param name="groupNames">Display names of groups the web knows (Graph is not read: others show their object id).</param>
    public static AssignmentRow From(RoleAssignmentDto item, string? principal, string? listedSubscription, IReadOnlyDictionary<string, string> groupNames)
    {
        var direct = principal is null || string.Equals(item.PrincipalId, principal, StringComparison.OrdinalIgnoreCase);
        var holder = item.PrincipalId is { } id && groupNames.TryGetValue(id, out var name) ? name : item.PrincipalId ?? "unknown";
        var via = direct ? "Direct" : $"{(item.PrincipalType is null or "Group" ? "Group" : item.PrincipalType)} {holder}";
        return new(item, item.RoleName ?? item.RoleDefinitionId, ScopeFormat.Describe(item, listedSubscription), via, direct);
    }

    public string SinceIso => Item.CreatedOn is { } at ? at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) : "";

    public string SortKey(string column) => column switch
    {
        "scope" => Scope,
        "via" => Via,
        "since" => SinceIso,
        _ => Role,
    };

    /// <summary>What the filter box matches (live.js matches the same text, lower-cased, from data-search).</summary>
    public string SearchText => string.Join(' ',
        new[] { Role, Format.RoleTypeLabel(Item.RoleType), Scope, Item.Scope, Via, Item.RoleDescription }.Where(s => !string.IsNullOrEmpty(s)))
        .ToLowerInvariant();
}
