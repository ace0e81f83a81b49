using System.ComponentModel.DataAnnotations;

namespace RoleViewer.Web.ApiClients;

public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Base address; the service-discovery name resolves to the api resource locally and in the cluster.</summary>
    [Required]
    public Uri BaseAddress { get; set; } = new("https+http://api");

    /// <summary>Time budget per Api call: the page renders a banner rather than wait longer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(4);
}
