namespace Deploy.Tests;

/// <summary>
/// Validates objects against the Kubernetes API schema with the pinned npm package kubernetes-models 5.1.0
/// (Tests/Deploy.Tests/KubernetesSchema; its bundled OpenAPI schema has Kubernetes 1.34 fields such as PodSpec.hostnameOverride,
/// and 1.34 is a version AKS supports):
/// types, required fields and enums. Unknown field names are caught by KubernetesClient's strict parse.
/// </summary>
internal static class KubernetesSchema
{
    private static string Folder => Repository.Path("Tests", "Deploy.Tests", "KubernetesSchema");

    /// <summary>One line per problem; empty when every object is valid.</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(IEnumerable<JsonNode> objects, CancellationToken cancellationToken)
    {
        Assert.True(Directory.Exists(Path.Combine(Folder, "node_modules", "kubernetes-models")),
            $"kubernetes-models is not installed: run 'npm ci' in {Folder} (./test.sh does).");
        var (exitCode, output, error) = await Tool.RunAsync("node", ["validate.mjs"], Folder, cancellationToken,
            standardInput: new JsonArray([.. objects.Select(o => o.DeepClone())]).ToJsonString());
        var problems = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(exitCode == 0 || problems.Length > 0, $"validate.mjs failed (exit {exitCode}):\n{error}");
        return problems;
    }
}
