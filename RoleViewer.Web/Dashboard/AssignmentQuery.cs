using RoleViewer.Web.ApiClients;

namespace RoleViewer.Web.Dashboard;

/// <summary>Sort and filter of the role-assignments table, carried in the query string so links, the back button and
/// the background refresh all show the same view. live.js applies the same rules in the browser (no reload); this is
/// the no-script fallback and the order of every server render, so the two must agree: keys and search text come
/// from <see cref="AssignmentRow"/>, compared ordinally ignoring case, ties broken by id.</summary>
public sealed record AssignmentQuery(string? Sort, string? Dir, string? Q, string? Type)
{
    public static readonly IReadOnlyList<(string Key, string Label)> Columns =
    [
        ("role", "Role"), ("scope", "Scope"), ("via", "Assigned via"), ("since", "Since"),
    ];

    /// <summary>Every query-string key the view reads (the page's output cache varies by exactly these).</summary>
    public static readonly IReadOnlyList<string> QueryKeys = ["sort", "dir", "q", "type"];

    public string SortKey => Columns.Any(c => c.Key == Sort) ? Sort! : "role";

    public bool Descending => string.Equals(Dir, "desc", StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<AssignmentRow> Apply(IEnumerable<AssignmentRow> rows)
    {
        var filtered = rows.Where(Matches);
        var sorted = Descending
            ? filtered.OrderByDescending(r => r.SortKey(SortKey), StringComparer.OrdinalIgnoreCase)
            : filtered.OrderBy(r => r.SortKey(SortKey), StringComparer.OrdinalIgnoreCase);
        return [.. sorted.ThenBy(r => r.Item.Id, StringComparer.Ordinal)];
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

    public bool Matches(AssignmentRow row) =>
        (string.IsNullOrEmpty(Type) || string.Equals(row.Item.RoleType, Type, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrWhiteSpace(Q) || row.SearchText.Contains(Q.Trim(), StringComparison.OrdinalIgnoreCase));
}
