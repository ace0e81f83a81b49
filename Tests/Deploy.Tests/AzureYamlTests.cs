using System.Text.Json;
using Json.Schema;
using k8s.Models;
using RoleViewer.AppHost.Deployment;

namespace Deploy.Tests;

public sealed class AzureYamlTests
{
    // The first test to need the rendered manifests builds the Go renderer and renders every template; on a loaded
    // 2-core machine beside the other test projects that alone took over 30 s (a fresh-clone run under two busy loops).
    private const int Timeout = 180_000;

    private static readonly string SchemaPath = Path.GetFullPath(Repository.Path("..", "shared", "schemas", "azure.yaml.json"));

    // Built once: a second JsonSchema.FromFile of the same $id accepted an invalid document in our runs.
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        Assert.True(File.Exists(SchemaPath), $"azd's schema is expected at {SchemaPath} (copy of Azure/azure-dev schemas/v1.0/azure.yaml.json).");
        return JsonSchema.FromFile(SchemaPath);
    });

    private static JsonObject AzureYaml(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return YamlJson.Parse(File.ReadAllText(Repository.Path("azure.yaml")))!.AsObject();
    }

    private static EvaluationResults Validate(JsonNode document)
    {
        using var json = JsonDocument.Parse(document.ToJsonString());
        return Schema.Value.Evaluate(json.RootElement.Clone(), new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Errors(EvaluationResults results) =>
        string.Join('\n', (results.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));

    [Fact(Timeout = Timeout)]
    public void AzureYaml_WhenValidatedAgainstAzdSchema_HasNoErrors()
    {
        var results = Validate(AzureYaml(TestContext.Current.CancellationToken));

        Assert.True(results.IsValid, Errors(results));
    }

    [Fact(Timeout = Timeout)]
    public void AzureYaml_WhenAnAksServiceCarriesEnv_IsRejectedBySchema()
    {
        // Proves the schema really constrains aks services: azd forbids `env` there (manifests carry it).
        var document = AzureYaml(TestContext.Current.CancellationToken);
        document["services"]!["api"]!["env"] = new JsonObject { ["X"] = "1" };

        Assert.False(Validate(document).IsValid, document.ToJsonString());
    }

    [Fact(Timeout = Timeout)]
    public async Task AzureYaml_WhenRead_DeploysEveryGeneratedServiceFromItsManifestFolder()
    {
        var rendered = await GeneratedManifests.RenderedAsync(TestContext.Current.CancellationToken);
        var services = AzureYaml(TestContext.Current.CancellationToken)["services"]!.AsObject();

        Assert.Equal(GeneratedManifests.Services().Order(StringComparer.Ordinal), services.Select(s => s.Key).Order(StringComparer.Ordinal));
        foreach (var (name, service) in services)
        {
            Assert.Equal("aks", (string?)service!["host"]);
            Assert.Equal("dotnet", (string?)service["language"]);
            Assert.True((bool)service["docker"]!["remoteBuild"]!);

            var project = Path.GetFullPath(Repository.Path((string)service["project"]!));
            Assert.True(File.Exists(Path.Combine(project, (string)service["docker"]!["path"]!)), $"{name}: Dockerfile missing.");

            var k8s = service["k8s"]!;
            Assert.Equal(DeploymentConventions.Namespace, (string?)k8s["namespace"]);
            Assert.Equal(Path.Combine(Repository.K8sFolder, name), Path.GetFullPath(Path.Combine(project, (string)k8s["deploymentPath"]!)));

            var manifests = rendered.Where(m => m.Service == name).ToList();
            Assert.Equal((string?)k8s["deployment"]!["name"], GeneratedManifests.OfKind<V1Deployment>(manifests).Single().Metadata.Name);
            Assert.Equal((string?)k8s["service"]!["name"], GeneratedManifests.OfKind<V1Service>(manifests).Single().Metadata.Name);
        }
    }

    [Fact(Timeout = Timeout)]
    public void AzureYaml_WhenRead_ListsNeitherAppHostNorEmulator()
    {
        var projects = AzureYaml(TestContext.Current.CancellationToken)["services"]!.AsObject().Select(s => (string)s.Value!["project"]!);

        Assert.DoesNotContain(projects, p => p.Contains("AppHost", StringComparison.Ordinal) || p.Contains("Emulator", StringComparison.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public void AzureYaml_WhenRead_RequiresTheFirstAzdThatRendersTemplatesAndBuildsAksImagesRemotely()
    {
        // *.tmpl.yaml rendering arrived in azd 1.2.0 (Azure/azure-dev#2455); docker.remoteBuild for AKS services in
        // 1.10.2 (#4375), and both services use it. The README's prerequisites name the same version.
        var required = (string?)AzureYaml(TestContext.Current.CancellationToken)["requiredVersions"]?["azd"];

        Assert.Equal(">= 1.10.2", required);
        var readme = File.ReadAllText(Repository.Path("README.md"));
        Assert.Contains("azd 1.10.2", readme, StringComparison.Ordinal);
        Assert.Contains("kubelogin", readme, StringComparison.Ordinal);
        Assert.Contains("kubectl", readme, StringComparison.Ordinal);
    }
}
