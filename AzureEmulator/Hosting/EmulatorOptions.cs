using System.ComponentModel.DataAnnotations;

namespace AzureEmulator.Hosting;

/// <summary>Settings of the whole emulator (configuration section "Emulator").</summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>Where certificates, keys and the directory/authorization state live; outside the repository.</summary>
    [Required]
    public string StateDirectory { get; set; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "roleviewer", "emulator");

    /// <summary>The https origin clients use (the AppHost's proxied endpoint); null means the address Kestrel listens on.</summary>
    public Uri? PublicOrigin { get; set; }
}
