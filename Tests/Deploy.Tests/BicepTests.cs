using System.Text.Json.Nodes;

namespace Deploy.Tests;

public sealed class BicepTests
{
    private const int Timeout = 120_000;

    private static readonly Dictionary<string, object?> SampleParameters = new()
    {
        ["environmentName"] = "rv-test",
        ["location"] = "westeurope",
        ["principalId"] = "",
    };

    internal static async Task<(ArmTemplate Main, ArmTemplate Resources)> TemplatesAsync(CancellationToken cancellationToken)
    {
        var main = ArmTemplate.Create(await BicepCli.CompiledMainAsync(cancellationToken), SampleParameters);
        return (main, main.Module("resources"));
    }

    [Theory(Timeout = Timeout)]
    [InlineData("build")]
    [InlineData("lint")]
    public async Task Bicep_WhenRunOnEveryInfraFile_ReportsNoWarningOrError(string command)
    {
        foreach (var file in Directory.EnumerateFiles(Repository.Path("infra"), "*.bicep"))
        {
            var arguments = command == "build" ? new[] { command, file, "--stdout" } : [command, file];
            var (exitCode, _, error) = await BicepCli.RunAsync(arguments, TestContext.Current.CancellationToken);

            // Bicep exits 0 on warnings; any diagnostic line counts as a failure here.
            Assert.True(exitCode == 0 && !error.Contains("Warning", StringComparison.Ordinal) && !error.Contains("Error", StringComparison.Ordinal),
                $"bicep {command} {Path.GetFileName(file)} (exit {exitCode}):\n{error}");
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Infra_WhenCompiled_UsesNoRegistryModules()
    {
        foreach (var file in Directory.EnumerateFiles(Repository.Path("infra"), "*.bicep"))
        {
            Assert.DoesNotContain("br/public:", await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Cluster_WhenCompiled_HasOidcIssuerAndWorkloadIdentityOn()
    {
        var (_, resources) = await TemplatesAsync(TestContext.Current.CancellationToken);
        var properties = resources.ResourcesOfType("Microsoft.ContainerService/managedClusters").Single()["properties"]!;

        Assert.True((bool)properties["oidcIssuerProfile"]!["enabled"]!);
        Assert.True((bool)properties["securityProfile"]!["workloadIdentity"]!["enabled"]!);
    }

    [Fact(Timeout = Timeout)]
    public async Task FederatedCredentials_WhenCompiled_TrustTheClusterIssuerForTokenExchange()
    {
        var (_, resources) = await TemplatesAsync(TestContext.Current.CancellationToken);
        var aks = resources.ResourcesOfType("Microsoft.ContainerService/managedClusters").Single();
        var credentials = resources.ResourcesOfType("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials").ToList();

        Assert.Equal(2, credentials.Count);
        foreach (var credential in credentials)
        {
            var properties = credential["properties"]!;
            Assert.Equal(new ArmReference(resources.Id(aks), "oidcIssuerProfile.issuerURL"), resources.Value(properties["issuer"]));
            Assert.Equal(["api://AzureADTokenExchange"], properties["audiences"]!.AsArray().Select(resources.Text));
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task FederatedCredentials_WhenCompiled_AreCreatedOneAtATime()
    {
        var (_, resources) = await TemplatesAsync(TestContext.Current.CancellationToken);
        var credentials = resources.ResourcesOfType("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials").ToList();

        // Each credential after the first waits for the one before it (Entra answers concurrent writes with 409).
        for (var i = 1; i < credentials.Count; i++)
        {
            var dependsOn = credentials[i]["dependsOn"]?.AsArray().Select(resources.Text) ?? [];
            Assert.Contains(resources.Id(credentials[i - 1]), dependsOn);
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task FederatedCredentials_WhenCompiled_NameTheServiceAccountsOfTheGeneratedManifests()
    {
        var (_, resources) = await TemplatesAsync(TestContext.Current.CancellationToken);
        var subjects = resources.ResourcesOfType("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials")
            .Select(c => resources.Text(c["properties"]!["subject"])).Order(StringComparer.Ordinal);

        var accounts = GeneratedManifests.OfKind<k8s.Models.V1ServiceAccount>(GeneratedManifests.Committed(TestContext.Current.CancellationToken))
            .Select(a => $"system:serviceaccount:{a.Metadata.NamespaceProperty}:{a.Metadata.Name}").Order(StringComparer.Ordinal);

        Assert.Equal(accounts, subjects);
    }

    [Fact(Timeout = Timeout)]
    public async Task CustomRole_WhenCompiled_AllowsExactlyTheTwoReadsAtTheSubscription()
    {
        var (main, _) = await TemplatesAsync(TestContext.Current.CancellationToken);
        var role = main.ResourcesOfType("Microsoft.Authorization/roleDefinitions").Single();
        var properties = role["properties"]!;
        var permissions = Assert.Single(properties["permissions"]!.AsArray())!;

        Assert.Equal("RoleViewer Reader", main.Text(properties["roleName"]));
        Assert.Equal(
            ["Microsoft.Authorization/roleAssignments/read", "Microsoft.Authorization/roleDefinitions/read"],
            permissions["actions"]!.AsArray().Select(main.Text).Order(StringComparer.Ordinal));
        Assert.Empty(permissions["notActions"]?.AsArray() ?? []);
        Assert.Null(permissions["dataActions"]);
        Assert.Equal([$"/subscriptions/{ArmTemplate.SubscriptionId}"], properties["assignableScopes"]!.AsArray().Select(main.Text));
    }

    [Fact(Timeout = Timeout)]
    public async Task CustomRoleAssignment_WhenCompiled_GoesToTheApiIdentity()
    {
        var (main, resources) = await TemplatesAsync(TestContext.Current.CancellationToken);
        var role = main.ResourcesOfType("Microsoft.Authorization/roleDefinitions").Single();
        var apiIdentity = IdentityOfServiceAccount(resources, "roleviewer-api");

        var assignment = main.ResourcesOfType("Microsoft.Authorization/roleAssignments")
            .Single(a => main.Text(a["properties"]!["roleDefinitionId"]) == main.Id(role));

        Assert.Equal(new ArmReference(resources.Id(apiIdentity), "principalId"), main.Value(assignment["properties"]!["principalId"]));
        Assert.Equal("ServicePrincipal", main.Text(assignment["properties"]!["principalType"]));
    }

    [Fact(Timeout = Timeout)]
    public async Task Registry_WhenCompiled_HasAdminUserOffAndKubeletAcrPull()
    {
        var (_, resources) = await TemplatesAsync(TestContext.Current.CancellationToken);
        var registry = resources.ResourcesOfType("Microsoft.ContainerRegistry/registries").Single();
        var aks = resources.ResourcesOfType("Microsoft.ContainerService/managedClusters").Single();

        Assert.False((bool)registry["properties"]!["adminUserEnabled"]!);
        var acrPull = RoleAssignments(resources, "7f951dda-4ed3-4680-a7ca-43fe172d538d");
        Assert.Equal(new ArmReference(resources.Id(aks), "identityProfile.kubeletidentity.objectId"), Assert.Single(acrPull));
    }

    [Fact(Timeout = Timeout)]
    public async Task AppInsights_WhenCompiled_AcceptsOnlyEntraAuthenticatedTelemetryFromEachWorkload()
    {
        var (_, resources) = await TemplatesAsync(TestContext.Current.CancellationToken);
        var appInsights = resources.ResourcesOfType("Microsoft.Insights/components").Single();

        Assert.True((bool)appInsights["properties"]!["DisableLocalAuth"]!);
        Assert.NotNull(appInsights["properties"]!["WorkspaceResourceId"]);

        var publishers = RoleAssignments(resources, "3913510d-42f4-4e42-8a64-420c390055eb");
        var identities = resources.ResourcesOfType("Microsoft.ManagedIdentity/userAssignedIdentities")
            .Select(i => (object)new ArmReference(resources.Id(i), "principalId"));
        Assert.Equal(identities.Select(i => i.ToString()).Order(StringComparer.Ordinal), publishers.Select(p => p!.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task Main_WhenCompiled_OutputsWhatAzdAndTheManifestsRead()
    {
        var (main, _) = await TemplatesAsync(TestContext.Current.CancellationToken);

        Assert.Superset(
            new HashSet<string>(["AZURE_AKS_CLUSTER_NAME", "AZURE_CONTAINER_REGISTRY_ENDPOINT", "AZURE_TENANT_ID", "AZURE_SUBSCRIPTION_ID",
                "AZURE_LOCATION", "AZURE_RESOURCE_GROUP", "AZURE_API_IDENTITY_CLIENT_ID", "AZURE_WEB_IDENTITY_CLIENT_ID",
                "APPLICATIONINSIGHTS_CONNECTION_STRING"]),
            main.OutputNames.ToHashSet());
    }

    [Fact(Timeout = Timeout)]
    public async Task Parameters_WhenRead_MapAzdEnvironmentToEveryRequiredParameter()
    {
        var compiled = await BicepCli.CompiledMainAsync(TestContext.Current.CancellationToken);
        var file = JsonNode.Parse(await File.ReadAllTextAsync(Repository.Path("infra", "main.parameters.json"), TestContext.Current.CancellationToken))!;
        var supplied = file["parameters"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value!["value"]);

        Assert.Equal("${AZURE_ENV_NAME}", supplied["environmentName"]);
        Assert.Equal("${AZURE_LOCATION}", supplied["location"]);
        Assert.Equal("${AZURE_PRINCIPAL_ID}", supplied["principalId"]);
        Assert.Equal(compiled["parameters"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal), supplied.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>The user-assigned identity whose federated credential trusts <paramref name="serviceAccount"/>.</summary>
    internal static JsonObject IdentityOfServiceAccount(ArmTemplate resources, string serviceAccount)
    {
        var credential = resources.ResourcesOfType("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials")
            .Single(c => resources.Text(c["properties"]!["subject"]).EndsWith($":{serviceAccount}", StringComparison.Ordinal));
        var identityName = resources.Name(credential).Split('/')[0];
        return resources.ResourcesOfType("Microsoft.ManagedIdentity/userAssignedIdentities").Single(i => resources.Name(i) == identityName);
    }

    private static List<object?> RoleAssignments(ArmTemplate template, string builtInRoleGuid) =>
        [.. template.ResourcesOfType("Microsoft.Authorization/roleAssignments")
            .Where(a => template.Text(a["properties"]!["roleDefinitionId"]).EndsWith(builtInRoleGuid, StringComparison.Ordinal))
            .Select(a => template.Value(a["properties"]!["principalId"]))];
}
