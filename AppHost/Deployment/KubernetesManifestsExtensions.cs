using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RoleViewer.AppHost.Deployment;

// In Aspire.Hosting, like the built-in Add* extensions, so AppHost.cs needs no using.
namespace Aspire.Hosting;

public static partial class KubernetesManifestsExtensions
{
    /// <summary>
    /// Adds the publish step that writes azd's Kubernetes manifests (default folder: infra/k8s next to the
    /// AppHost folder, or --output-path). Run: <c>dotnet run --project AppHost -- --operation publish --step publish-roleviewer-k8s</c>.
    /// </summary>
    public static IDistributedApplicationBuilder AddKubernetesManifests(this IDistributedApplicationBuilder builder)
    {
        var defaultOutput = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "infra", "k8s"));

#pragma warning disable ASPIREPIPELINES001 // The pipeline API is experimental in Aspire 13.6; it is the supported publish hook.
        builder.Pipeline.AddStep(DeploymentConventions.PipelineStepName, async context =>
        {
            var outputPath = context.Services.GetRequiredService<IOptions<PipelineOptions>>().Value.OutputPath ?? defaultOutput;
            var files = await KubernetesManifestGenerator.GenerateAsync(context.Model, context.ExecutionContext, context.CancellationToken);
            await KubernetesManifestGenerator.WriteAsync(files, outputPath, context.CancellationToken);
            Log.ManifestsWritten(context.Logger, files.Count, outputPath);
        }, requiredBy: WellKnownPipelineSteps.Publish);
#pragma warning restore ASPIREPIPELINES001

        return builder;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Wrote {Count} Kubernetes manifests to {OutputPath}")]
        public static partial void ManifestsWritten(ILogger logger, int count, string outputPath);
    }
}
