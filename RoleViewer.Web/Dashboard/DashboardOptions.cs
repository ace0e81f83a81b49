using System.ComponentModel.DataAnnotations;

namespace RoleViewer.Web.Dashboard;

public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>How often the page refreshes identity, role assignments and pod in the background.</summary>
    [Range(1, 3600)]
    public int RefreshSeconds { get; set; } = 10;
}
