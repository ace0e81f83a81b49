using System.Reflection;

namespace Deploy.Tests;

/// <summary>Paths baked in at build time (see Deploy.Tests.csproj).</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string BicepCli { get; } = Metadata("BicepPath");

    /// <summary>Build configuration of this test run; the AppHost was built with the same one.</summary>
    public static string Configuration { get; } = Metadata("Configuration");

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string K8sFolder => Path("infra", "k8s");

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing; rebuild Deploy.Tests.");
}
