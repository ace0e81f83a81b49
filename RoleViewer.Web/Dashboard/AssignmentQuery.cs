using RoleViewer.Web.ApiClients;

namespace RoleViewer.Web.Dashboard;

/// <summary>Sort and filter of the role-assignments table, carried in the query string so links, the
/// back button and the background refresh all show the same view.</summary>
public sealed record AssignmentQuery(string? Sort, string? Dir, string? Q, string? Type)
{
    public static readonly IReadOnlyList<(string Key, string Label)> Columns =
    [
        ("role", "Role"), ("type", "Type"), ("scope", "Scope"), ("principal", "Principal type"), ("since", "Since"),
    ];

    public string SortKey => Columns.Any(c => c.Key == Sort) ? Sort! : "role";

    public bool Descending => string.Equals(Dir, "desc", StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<RoleAssignmentDto> Apply(IEnumerable<RoleAssignmentDto> items)
    {
        var filtered = items.Where(Matches);
        Func<RoleAssignmentDto, object?> key = SortKey switch
        {
            "type" => i => i.RoleType,
            "scope" => i => i.Scope,
            "principal" => i => i.PrincipalType,
            "since" => i => i.CreatedOn,
            _ => i => i.RoleName ?? i.RoleDefinitionId,
        };
        var sorted = Descending ? filtered.OrderByDescending(key) : filtered.OrderBy(key);
        return [.. sorted.ThenBy(i => i.Id, StringComparer.Ordinal)];
    }

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Q) || !string.IsNullOrEmpty(Type);

    /// <summary>The query string for this view with another sort applied (toggles direction on the current column).</summary>
    public string SortLink(string column)
    {
        var dir = column == SortKey && !Descending ? "desc" : "asc";
        return QueryString(column, dir);
    }

    public string QueryString(string? sort = null, string? dir = null)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("sort", sort ?? Sort);
        Add("dir", dir ?? Dir);
        Add("q", Q);
        Add("type", Type);
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private bool Matches(RoleAssignmentDto item)
    {
        if (!string.IsNullOrEmpty(Type) && !string.Equals(item.RoleType, Type, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(Q))
        {
            return true;
        }

        var q = Q.Trim();
        return new[] { item.RoleName, item.RoleType, item.Scope, item.PrincipalType, item.RoleDescription, ScopeFormat.Describe(item) }
            .Any(field => field?.Contains(q, StringComparison.OrdinalIgnoreCase) == true);
    }
}
