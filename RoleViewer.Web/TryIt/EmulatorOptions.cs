namespace RoleViewer.Web.TryIt;

public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>The AzureEmulator's https origin. Set by the AppHost in run mode only; without it the Try-it panel does not exist.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The seeded "operator" principal that holds Owner, used to write role assignments through ARM.</summary>
    public string OperatorClientId { get; set; } = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

    /// <summary>The app identity's federated credential that Try-it breaks and repairs.</summary>
    public string FederatedCredentialName { get; set; } = "roleviewer-api";

    public bool Enabled => Endpoint is not null;
}
