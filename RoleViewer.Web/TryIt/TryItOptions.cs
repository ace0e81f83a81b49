namespace RoleViewer.Web.TryIt;

public sealed class TryItOptions
{
    public const string SectionName = "TryIt";

    /// <summary>The AzureEmulator's https origin. Set by the AppHost in run mode only; without it the Try-it panel does not exist.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The seeded "operator" principal that holds Owner, used to write role assignments through ARM.</summary>
    public string OperatorClientId { get; set; } = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

    /// <summary>The group Try-it puts the app identity in to grant it a role the way teams often do: through a group.</summary>
    public string TryItGroupObjectId { get; set; } = "b7e1c3a5-9d2f-4e8b-a6c4-0f2e4d6b8a1c";

    public string TryItGroupName { get; set; } = "sg-roleviewer-try-it";

    /// <summary>The app identity's federated credential that Try-it breaks and repairs.</summary>
    public string FederatedCredentialName { get; set; } = "roleviewer-api";

    /// <summary>The emulator's per-run admin key (header Emulator-Admin-Key); the AppHost generates it and gives it to
    /// the emulator and to this panel only.</summary>
    public string? AdminKey { get; set; }

    public bool Enabled => Endpoint is not null;

    /// <summary>Why Try-it may not start here, or null. It writes to the emulator with Owner rights, so it runs only
    /// on a developer's machine: Development, a loopback emulator, and the emulator's admin key.</summary>
    public string? Refusal(IHostEnvironment environment) => this switch
    {
        { Endpoint: null } => null,
        _ when !environment.IsDevelopment() =>
            $"TryIt:Endpoint is set but the environment is '{environment.EnvironmentName}': the Try-it panel runs only in Development " +
            "(dotnet run --project AppHost). Unset TryIt__Endpoint outside local runs.",
        { Endpoint: { IsLoopback: false } endpoint } =>
            $"TryIt:Endpoint '{endpoint.Host}' is not a loopback address: the Try-it panel talks only to an emulator on this machine (localhost).",
        { AdminKey: null or "" } =>
            "TryIt:AdminKey is not set: the AppHost generates the emulator's admin key per run and passes it as TryIt__AdminKey.",
        _ => null,
    };
}
