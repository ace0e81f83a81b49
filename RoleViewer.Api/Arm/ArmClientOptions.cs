using Azure.Core;

namespace RoleViewer.Api.Arm;

/// <summary>Options for <see cref="ArmClient"/>: retries, transport and diagnostics come from <see cref="ClientOptions"/>.</summary>
public class ArmClientOptions : ClientOptions
{
    private const ServiceVersion LatestVersion = ServiceVersion.V2022_04_01;

    public enum ServiceVersion
    {
        V2022_04_01 = 1,
    }

    public ArmClientOptions(ServiceVersion version = LatestVersion)
    {
        Version = version switch
        {
            ServiceVersion.V2022_04_01 => "2022-04-01",
            _ => throw new NotSupportedException($"Service version {version} is not supported."),
        };
    }

    public string Version { get; }
}
