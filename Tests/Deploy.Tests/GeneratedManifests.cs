using k8s;
using k8s.Models;

namespace Deploy.Tests;

/// <summary>One committed manifest file under infra/k8s/&lt;service&gt;/.</summary>
internal sealed record ManifestSource(string Service, string RelativePath, string Text)
{
    public bool IsTemplate => RelativePath.EndsWith(".tmpl.yaml", StringComparison.Ordinal);

    public IReadOnlyList<object> Parse() => Parse(Text);

    /// <summary>Strict: an unknown or misspelt field fails instead of being dropped.</summary>
    public static IReadOnlyList<object> Parse(string yaml) => KubernetesYaml.LoadAllFromString(yaml, strict: true);
}

internal static class GeneratedManifests
{
    public static IReadOnlyList<ManifestSource> Committed(CancellationToken cancellationToken)
    {
        var sources = new List<ManifestSource>();
        foreach (var path in Directory.EnumerateFiles(Repository.K8sFolder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(Repository.K8sFolder, path).Replace('\\', '/');
            sources.Add(new ManifestSource(relative.Split('/')[0], relative, File.ReadAllText(path)));
        }

        return sources;
    }

    public static IEnumerable<string> Services() => Committed(CancellationToken.None).Select(m => m.Service).Distinct();

    public static IEnumerable<T> OfKind<T>(IEnumerable<ManifestSource> sources) =>
        sources.SelectMany(s => s.Parse()).OfType<T>();

    public static V1Deployment Deployment(string service, CancellationToken cancellationToken) =>
        OfKind<V1Deployment>(Committed(cancellationToken).Where(m => m.Service == service)).Single();
}
