using System.Text.Json;

namespace RoleViewer.Testing;

/// <summary>
/// The ids the AzureEmulator seeds (tenant, subscription, identities, built-in roles), read from its seed files in
/// AzureEmulator/Seed so that no test repeats them. Shared as source, like <see cref="EmulatorCaTrust"/>.
/// </summary>
public static class SeedIds
{
    private static readonly JsonElement Directory = Load("directory.json");
    private static readonly JsonElement Authorization = Load("authorization.json");

    public static string TenantId { get; } = Directory.GetProperty("tenantId").GetString()!;
    public static string SubscriptionId { get; } = Directory.GetProperty("subscriptionIds")[0].GetString()!;

    /// <summary>RoleViewer.Api's managed identity, the one the workload-identity webhook gives its pod.</summary>
    public static string ApiClientId { get; } = Identity("id-roleviewer-api", "clientId");
    public static string ApiObjectId { get; } = Identity("id-roleviewer-api", "objectId");

    /// <summary>The service-account subject the Api's federated credential trusts.</summary>
    public static string ApiSubject { get; } = IdentityElement("id-roleviewer-api")
        .GetProperty("federatedCredentials")[0].GetProperty("subject").GetString()!;

    /// <summary>An application that is Owner at the subscription (the Try-it panel's operator).</summary>
    public static string OperatorClientId { get; } = Identity("operator", "clientId");
    public static string OperatorObjectId { get; } = Identity("operator", "objectId");

    /// <summary>An application with no role assignment.</summary>
    public static string ReaderLessClientId { get; } = Identity("reader-less", "clientId");
    public static string ReaderLessObjectId { get; } = Identity("reader-less", "objectId");

    /// <summary>The built-in Reader role definition's id.</summary>
    public static string ReaderRoleId { get; } = RoleId("Reader");

    public static string RoleId(string roleName) => Authorization.GetProperty("roleDefinitions").EnumerateArray()
        .Single(r => r.GetProperty("roleName").GetString() == roleName).GetProperty("id").GetString()!;

    private static string Identity(string displayName, string property) =>
        IdentityElement(displayName).GetProperty(property).GetString()!;

    private static JsonElement IdentityElement(string displayName) => Directory.GetProperty("identities").EnumerateArray()
        .Single(i => i.GetProperty("displayName").GetString() == displayName);

    /// <summary>Reads a seed file from the emulator's source folder, found above the test's output folder.</summary>
    private static JsonElement Load(string file)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var path = Path.Combine(folder.FullName, "AzureEmulator", "Seed", file);
            if (File.Exists(path))
            {
                using var document = JsonDocument.Parse(File.ReadAllText(path));
                return document.RootElement.Clone();
            }
        }

        throw new FileNotFoundException($"AzureEmulator/Seed/{file} was not found above {AppContext.BaseDirectory}.");
    }
}
