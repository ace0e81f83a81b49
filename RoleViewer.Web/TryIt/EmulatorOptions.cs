namespace RoleViewer.Web.TryIt;

public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>The AzureEmulator's https origin. Set by the AppHost in run mode only; without it the Try-it panel does not exist.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The seeded "operator" principal that holds Owner, used to write role assignments through ARM.</summary>
    public string OperatorClientId { get; set; } = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

    /// <summary>The group Try-it puts the app identity in to grant it a role the way teams often do: through a group.</summary>
    public string TryItGroupObjectId { get; set; } = "b7e1c3a5-9d2f-4e8b-a6c4-0f2e4d6b8a1c";

    public string TryItGroupName { get; set; } = "sg-roleviewer-try-it";

    /// <summary>The app identity's federated credential that Try-it breaks and repairs.</summary>
    public string FederatedCredentialName { get; set; } = "roleviewer-api";

    public bool Enabled => Endpoint is not null;
}
