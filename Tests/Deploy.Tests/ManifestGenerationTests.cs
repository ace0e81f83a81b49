using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using RoleViewer.AppHost.Deployment;

namespace Deploy.Tests;

public sealed class ManifestGenerationTests
{
    private const int Timeout = 180_000;

    private const string Regenerate =
        "Regenerate with: dotnet run --project AppHost -- --operation publish --step " + DeploymentConventions.PipelineStepName;

    /// <summary>
    /// Runs the AppHost exactly as a user would, into a temporary folder. A separate process, because a
    /// publish-mode app built with DistributedApplicationTestingBuilder runs the whole publish pipeline
    /// (image builds included) and would write into infra/k8s.
    /// </summary>
    private static async Task<string> PublishToTemporaryFolderAsync(CancellationToken cancellationToken)
    {
        var output = Directory.CreateTempSubdirectory("roleviewer-k8s-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in new[]
        {
            "run", "--project", Repository.Path("AppHost"), "--no-build", "-c", Repository.Configuration, "--",
            "--operation", "publish", "--step", DeploymentConventions.PipelineStepName, "--output-path", output,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"AppHost publish failed (exit {process.ExitCode}):\n{await stdout}\n{await stderr}");
        return output;
    }

    [Fact(Timeout = Timeout)]
    public async Task AppHostPublish_WhenRun_ReproducesCommittedManifestsByteForByte()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var output = await PublishToTemporaryFolderAsync(cancellationToken);
        try
        {
            var generated = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(output, path).Replace('\\', '/'))
                .Order(StringComparer.Ordinal).ToList();
            var committed = GeneratedManifests.Committed(cancellationToken);

            Assert.True(generated.SequenceEqual(committed.Select(c => c.RelativePath)),
                $"Generated [{string.Join(", ", generated)}] but infra/k8s holds [{string.Join(", ", committed.Select(c => c.RelativePath))}]. {Regenerate}");
            foreach (var source in committed)
            {
                var bytes = await File.ReadAllBytesAsync(Path.Combine(output, source.RelativePath), cancellationToken);
                var expected = await File.ReadAllBytesAsync(Path.Combine(Repository.K8sFolder, source.RelativePath), cancellationToken);
                Assert.True(bytes.AsSpan().SequenceEqual(expected), $"infra/k8s/{source.RelativePath} is out of date. {Regenerate}");
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Generate_WhenModelIsInRunMode_RefusesBecauseRunModeHoldsTheEmulator()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(cancellationToken);
        await using var app = await builder.BuildAsync(cancellationToken);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        Assert.Contains(model.Resources, r => r.Name == "emulator");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => KubernetesManifestGenerator.GenerateAsync(
            model, app.Services.GetRequiredService<DistributedApplicationExecutionContext>(), cancellationToken));

        Assert.Contains("--operation publish", error.Message, StringComparison.Ordinal);
    }
}
