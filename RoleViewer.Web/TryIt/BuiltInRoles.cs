namespace RoleViewer.Web.TryIt;

/// <summary>Built-in Azure roles Try-it can grant; ids are the same in every tenant.</summary>
public static class BuiltInRoles
{
    public static readonly IReadOnlyList<(string Name, string Id)> All =
    [
        ("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7"),
        ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"),
        ("Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"),
        ("Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6"),
        ("Monitoring Reader", "43d0d8ad-25c7-4714-9337-8ba259a9fe05"),
    ];

    public static string? IdOf(string? name) =>
        All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)).Id;
}
