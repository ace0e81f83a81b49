using k8s;
using k8s.Models;

namespace Deploy.Tests;

/// <summary>One committed manifest file under infra/k8s/&lt;service&gt;/.</summary>
internal sealed record ManifestSource(string Service, string RelativePath, string Text)
{
    public bool IsTemplate => RelativePath.EndsWith(".tmpl.yaml", StringComparison.Ordinal);

    public string FullPath => Path.Combine(Repository.K8sFolder, RelativePath);

    /// <summary>Strict: an unknown or misspelt field fails instead of being dropped.</summary>
    public static IReadOnlyList<object> Parse(string yaml) => KubernetesYaml.LoadAllFromString(yaml, strict: true);
}

/// <summary>A committed manifest as azd applies it: templates rendered by Go text/template, other files as they are.</summary>
internal sealed record RenderedManifest(ManifestSource Source, string Text)
{
    public string Service => Source.Service;

    public IReadOnlyList<object> Parse() => ManifestSource.Parse(Text);

    /// <summary>The object as kubectl sends it (JSON), for schema validation.</summary>
    public JsonNode Json() => YamlJson.Parse(Text)!;
}

internal static class GeneratedManifests
{
    private static readonly Lazy<Task<IReadOnlyList<RenderedManifest>>> RenderedOnce = new(() => RenderAllAsync(CancellationToken.None));

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

    /// <summary>
    /// What azd has in its environment at deploy time: every main.bicep output (arrays as compact JSON, as azd
    /// writes them) plus the pushed image of each service.
    /// </summary>
    public static async Task<Dictionary<string, string>> AzdEnvironmentAsync(CancellationToken cancellationToken)
    {
        var (main, _) = await BicepTests.TemplatesAsync(cancellationToken);
        var values = main.OutputNames.ToDictionary(
            name => name,
            name => main.OutputType(name) == "array" ? ((JsonArray)main.Output(name)!).ToJsonString() : $"sample-{name.ToLowerInvariant()}");
        foreach (var service in Services())
        {
            values[$"SERVICE_{service.ToUpperInvariant()}_IMAGE_NAME"] = $"crsample.azurecr.io/roleviewer/{service}-test:azd-deploy-1";
        }

        return values;
    }

    /// <summary>Every committed manifest as azd would apply it, rendered once per test run.</summary>
    public static Task<IReadOnlyList<RenderedManifest>> RenderedAsync(CancellationToken cancellationToken) =>
        RenderedOnce.Value.WaitAsync(cancellationToken);

    private static async Task<IReadOnlyList<RenderedManifest>> RenderAllAsync(CancellationToken cancellationToken)
    {
        var environment = await AzdEnvironmentAsync(cancellationToken);
        var rendered = new List<RenderedManifest>();
        foreach (var source in Committed(cancellationToken))
        {
            var text = source.IsTemplate ? await AzdRenderer.RenderAsync(source.FullPath, environment, cancellationToken) : source.Text;
            rendered.Add(new RenderedManifest(source, text));
        }

        return rendered;
    }

    public static IEnumerable<T> OfKind<T>(IEnumerable<RenderedManifest> manifests) =>
        manifests.SelectMany(m => m.Parse()).OfType<T>();

    public static async Task<V1Deployment> DeploymentAsync(string service, CancellationToken cancellationToken) =>
        OfKind<V1Deployment>((await RenderedAsync(cancellationToken)).Where(m => m.Service == service)).Single();
}
