using Microsoft.AspNetCore.Mvc;

namespace RoleViewer.Web.Permissions;

/// <summary>The permission question in the query string (?action=…&amp;scope=…&amp;kind=…), so the answer works without script,
/// can be linked, and is re-asked by the page's background refresh.</summary>
public sealed record PermissionQuery(
    [property: FromQuery(Name = "action")] string? Action,
    [property: FromQuery(Name = "scope")] string? Scope,
    [property: FromQuery(Name = "kind")] string? Kind)
{
    public static readonly PermissionQuery None = new(null, null, null);

    /// <summary>Every query-string key the question reads (the page's output cache varies by these too).</summary>
    public static readonly IReadOnlyList<string> QueryKeys = ["action", "scope", "kind"];

    public bool IsAsked => !string.IsNullOrWhiteSpace(Action);

    public bool IsDataAction => Kind == "dataAction";
}
