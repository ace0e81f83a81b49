using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using k8s;

namespace RoleViewer.AppHost.Deployment;

/// <summary>One generated file, relative to the output folder (e.g. <c>api/02-deployment.tmpl.yaml</c>).</summary>
public sealed record ManifestFile(string RelativePath, string Content);

/// <summary>
/// Writes azd manifests from the publish-mode app model: per project resource a ServiceAccount for workload
/// identity, a hardened Deployment, a Service, a PodDisruptionBudget and a NetworkPolicy; in every folder the
/// namespace (Pod Security restricted) and its default-deny and DNS policies. Files holding <c>{{.Env.X}}</c>
/// placeholders are named <c>*.tmpl.yaml</c>, the only files azd renders; the numeric prefix is the apply order.
/// </summary>
public static partial class KubernetesManifestGenerator
{
    private const string Header =
        "# Generated from the AppHost's app model by AppHost/Deployment. Do not edit; regenerate with\n" +
        "# dotnet run --project AppHost -- --operation publish --step " + DeploymentConventions.PipelineStepName + "\n";

    public static async Task<IReadOnlyList<KubernetesWorkload>> DescribeAsync(
        DistributedApplicationModel model, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        if (!executionContext.IsPublishMode)
        {
            // Run mode adds the local-only emulator and its wiring, which must never reach a cluster.
            throw new InvalidOperationException("Kubernetes manifests are generated from the publish-mode model only (--operation publish).");
        }

        var workloads = new List<KubernetesWorkload>();
        foreach (var project in model.GetComputeResources().OfType<ProjectResource>().OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var http = project.Annotations.OfType<EndpointAnnotation>().FirstOrDefault(e => e.UriScheme == "http")
                ?? throw new InvalidOperationException($"Resource '{project.Name}' has no http endpoint; the cluster reaches every workload over http.");
            var environment = await EnvironmentMapper.MapAsync(project, executionContext, cancellationToken).ConfigureAwait(false);
            var references = project.Annotations.OfType<ResourceRelationshipAnnotation>()
                .Where(r => r.Type == "Reference" && r.Resource is ProjectResource)
                .Select(r => r.Resource.Name).Distinct().Order(StringComparer.Ordinal).ToList();
            workloads.Add(new KubernetesWorkload(
                project.Name,
                http.TargetPort ?? DeploymentConventions.DefaultHttpPort,
                http.IsExternal,
                environment,
                references));
        }

        return workloads;
    }

    public static async Task<IReadOnlyList<ManifestFile>> GenerateAsync(
        DistributedApplicationModel model, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        var files = new List<ManifestFile>();
        var workloads = await DescribeAsync(model, executionContext, cancellationToken).ConfigureAwait(false);
        foreach (var workload in workloads)
        {
            // azd applies one folder per service and `azd deploy web` may run alone, so each folder carries the
            // namespace and its shared policies (same bytes; applying them twice changes nothing). They sort first,
            // so the namespace enforces Pod Security before any pod is created.
            files.Add(File(workload.Name, "00-namespace", KubernetesNamespace.Namespace()));
            files.Add(File(workload.Name, "00-networkpolicy-default-deny", KubernetesNamespace.DefaultDeny()));
            files.Add(File(workload.Name, "00-networkpolicy-dns", KubernetesNamespace.AllowDns()));
            files.Add(File(workload.Name, "01-serviceaccount", workload.ServiceAccount()));
            files.Add(File(workload.Name, "02-deployment", workload.Deployment()));
            files.Add(File(workload.Name, "03-service", workload.Service()));
            files.Add(File(workload.Name, "04-poddisruptionbudget", workload.PodDisruptionBudget()));
            files.Add(File(workload.Name, "05-networkpolicy", workload.NetworkPolicy(workloads)));
        }

        return files;
    }

    /// <summary>Writes the files under <paramref name="outputPath"/>, then removes other YAML files from their folders.</summary>
    public static async Task WriteAsync(IReadOnlyList<ManifestFile> files, string outputPath, CancellationToken cancellationToken)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var path = Path.GetFullPath(Path.Combine(outputPath, file.RelativePath));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await System.IO.File.WriteAllTextAsync(path, file.Content, cancellationToken).ConfigureAwait(false);
            written.Add(path);
        }

        // Only after every file is written, so an interrupted run never leaves a folder emptier than before;
        // stale files (a renamed kind) would otherwise still be applied by azd.
        foreach (var folder in written.Select(Path.GetDirectoryName).Distinct())
        {
            foreach (var stale in Directory.EnumerateFiles(folder!, "*.yaml").Where(f => !written.Contains(Path.GetFullPath(f))))
            {
                System.IO.File.Delete(stale);
            }
        }
    }

    private static ManifestFile File(string resourceName, string stem, object manifest)
    {
        var yaml = InlineListPlaceholders(Header + KubernetesYaml.Serialize(manifest).ReplaceLineEndings("\n"));
        var extension = yaml.Contains("{{", StringComparison.Ordinal) ? ".tmpl.yaml" : ".yaml";
        return new ManifestFile($"{resourceName}/{stem}{extension}", yaml);
    }

    /// <summary>
    /// A list whose only item is <c>list:VAR</c> becomes <c>key: {{.Env.VAR}}</c>: azd stores an array output as a
    /// JSON array, which is a YAML flow sequence once rendered. Text templates cannot split a string into items.
    /// </summary>
    private static string InlineListPlaceholders(string yaml) =>
        ListMarker().Replace(yaml, m => $"{m.Groups["key"].Value}: {DeploymentConventions.Placeholder(m.Groups["variable"].Value)}");

    [GeneratedRegex(@"(?<key>[A-Za-z]+):\n *- '?list:(?<variable>[A-Z0-9_]+)'?(?=\n|$)")]
    private static partial Regex ListMarker();
}
