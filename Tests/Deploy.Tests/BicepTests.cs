namespace Deploy.Tests;

public sealed class BicepTests
{
    // Four bicep runs, each allowed 2 min (BicepCli): sized for a 2-core machine that is busy with other work.
    private const int Timeout = 480_000;

    private const string DeployerObjectId = "00000000-0000-0000-0000-0000000000cc";

    private const string AksRbacClusterAdmin = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b";

    private const string AksClusterUser = "4abbcc35-e782-43d8-92c5-2d3f1bd2253f";

    /// <summary>What the user answers to azd's prompt for the page's allowed ranges (documentation ranges, RFC 5737).</summary>
    internal static readonly JsonArray SampleAllowedRanges = ["203.0.113.0/24", "198.51.100.7/32"];

    private static readonly string[] TwoEnvironments = ["rv-one", "rv-two"];

    // Every channel but 'none' (and NodeImage/SecurityPatch for node OS, not 'Unmanaged'/'None').
    private static readonly string[] AutomaticUpgradeChannels = ["patch", "stable", "rapid", "node-image"];

    private static readonly string[] AutomaticNodeOsChannels = ["NodeImage", "SecurityPatch"];

    private static Dictionary<string, object?> SampleParameters(string environmentName = "rv-test") => new()
    {
        ["environmentName"] = environmentName,
        ["location"] = "westeurope",
        ["principalId"] = DeployerObjectId,
        ["webAllowedSourceRanges"] = SampleAllowedRanges,
    };

    internal static async Task<(ArmTemplate Main, ArmTemplate Resources)> TemplatesAsync(CancellationToken cancellationToken)
    {
        var main = ArmTemplate.Create(await BicepCli.CompiledMainAsync(cancellationToken), SampleParameters());
        return (main, main.Module("resources"));
    }

    /// <summary>Every role assignment main.bicep deploys, whichever module holds it, with the template that evaluates it.</summary>
    private static async Task<List<(ArmTemplate Template, JsonObject Assignment)>> AllRoleAssignmentsAsync(CancellationToken cancellationToken)
    {
        var (main, _) = await TemplatesAsync(cancellationToken);
        return [.. main.ModulesRecursive().Prepend(main)
            .SelectMany(t => t.ResourcesOfType("Microsoft.Authorization/roleAssignments").Where(t.IsDeployed).Select(a => (t, a)))];
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

        var accounts = GeneratedManifests.OfKind<k8s.Models.V1ServiceAccount>(await GeneratedManifests.RenderedAsync(TestContext.Current.CancellationToken))
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

        // Unique per subscription (role names are unique per tenant) and still recognisable: the Api's fix texts and
        // the emulator's seed use the prefix "RoleViewer Reader" (RoleViewer.Api FailureTranslator.ReaderRoleName).
        Assert.Equal($"RoleViewer Reader ({ArmTemplate.SubscriptionId})", main.Text(properties["roleName"]));
        Assert.Equal(
            ["Microsoft.Authorization/roleAssignments/read", "Microsoft.Authorization/roleDefinitions/read"],
            permissions["actions"]!.AsArray().Select(main.Text).Order(StringComparer.Ordinal));
        Assert.Empty(permissions["notActions"]?.AsArray() ?? []);
        Assert.Null(permissions["dataActions"]);
        Assert.Equal([$"/subscriptions/{ArmTemplate.SubscriptionId}"], properties["assignableScopes"]!.AsArray().Select(main.Text));
    }

    [Fact(Timeout = Timeout)]
    public async Task CustomRole_WhenCompiledForTwoEnvironments_KeepsOneDeterministicIdPerSubscription()
    {
        var compiled = await BicepCli.CompiledMainAsync(TestContext.Current.CancellationToken);
        var roles = TwoEnvironments
            .Select(env => ArmTemplate.Create(compiled, SampleParameters(env)))
            .Select(t => (Template: t, Role: t.ResourcesOfType("Microsoft.Authorization/roleDefinitions").Single()))
            .Select(r => (Name: r.Template.Name(r.Role), RoleName: r.Template.Text(r.Role["properties"]!["roleName"])))
            .ToList();

        // Same subscription, another environment: the same definition is updated, not a second one created.
        Assert.Equal(roles[0], roles[1]);
        Assert.Equal($"guid(/subscriptions/{ArmTemplate.SubscriptionId}, RoleViewer Reader)", roles[0].Name);
    }

    [Fact(Timeout = Timeout)]
    public async Task CustomRoleAssignment_WhenCompiled_GoesToTheApiIdentityAtTheSubscription()
    {
        var (main, resources) = await TemplatesAsync(TestContext.Current.CancellationToken);
        var role = main.ResourcesOfType("Microsoft.Authorization/roleDefinitions").Single();
        var apiIdentity = IdentityOfServiceAccount(resources, "roleviewer-api");
        var module = main.Module("api-reader");

        var assignment = module.ResourcesOfType("Microsoft.Authorization/roleAssignments")
            .Single(a => module.Text(a["properties"]!["roleDefinitionId"]) == main.Id(role));

        Assert.Equal(new ArmReference(resources.Id(apiIdentity), "principalId"), module.Value(assignment["properties"]!["principalId"]));
        Assert.Equal("ServicePrincipal", module.Text(assignment["properties"]!["principalType"]));
        Assert.Null(assignment["scope"]);
        var deployment = main.ResourcesOfType("Microsoft.Resources/deployments").Single(d => main.Name(d) == "api-reader");
        Assert.Contains("subscriptionDeploymentTemplate", (string)deployment["properties"]!["template"]!["$schema"]!, StringComparison.Ordinal);
        // azd down keeps subscription-scope objects: main.bicep names this environment's one so README can remove it.
        Assert.Equal(module.Id(assignment), Convert.ToString(main.Output("AZURE_API_READER_ASSIGNMENT_ID"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact(Timeout = Timeout)]
    public async Task RoleAssignments_WhenCompiled_AreNamedFromThePrincipalTheyGrant()
    {
        var assignments = await AllRoleAssignmentsAsync(TestContext.Current.CancellationToken);

        // subscription reader, kubelet AcrPull, two metrics publishers, deployer cluster user + cluster admin.
        Assert.Equal(6, assignments.Count);
        foreach (var (template, assignment) in assignments)
        {
            var properties = assignment["properties"]!;
            var principal = template.Text(properties["principalId"]);
            var role = template.Text(properties["roleDefinitionId"]);

            // guid(scope, principalId, roleDefinitionId): a recreated identity (new principalId) gets a new name, so a
            // redeploy after `azd down` never asks ARM to re-point an existing assignment (RoleAssignmentUpdateNotPermitted).
            var name = template.Name(assignment);
            Assert.StartsWith("guid(", name, StringComparison.Ordinal);
            var parts = TopLevelArguments(name["guid(".Length..^1]);
            Assert.Equal(3, parts.Count);
            Assert.Equal(principal, parts[1]);
            Assert.Equal(role, parts[2]);
            Assert.Equal(template.Text(assignment["scope"]) is { Length: > 0 } scope ? scope : $"/subscriptions/{ArmTemplate.SubscriptionId}", parts[0]);
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Cluster_WhenCompiled_UsesEntraWithAzureRbacNoLocalAccountsCiliumAndAutoUpgrades()
    {
        var (_, resources) = await TemplatesAsync(TestContext.Current.CancellationToken);
        var properties = resources.ResourcesOfType("Microsoft.ContainerService/managedClusters").Single()["properties"]!;

        Assert.True((bool)properties["aadProfile"]!["managed"]!);
        Assert.True((bool)properties["aadProfile"]!["enableAzureRBAC"]!);
        Assert.True((bool)properties["disableLocalAccounts"]!);
        var network = properties["networkProfile"]!;
        Assert.Equal("azure", resources.Text(network["networkPlugin"]));
        Assert.Equal("overlay", resources.Text(network["networkPluginMode"]));
        Assert.Equal("cilium", resources.Text(network["networkDataplane"]));
        Assert.Equal("cilium", resources.Text(network["networkPolicy"]));
        var upgrades = properties["autoUpgradeProfile"]!;
        Assert.Contains(resources.Text(upgrades["upgradeChannel"]), AutomaticUpgradeChannels);
        Assert.Contains(resources.Text(upgrades["nodeOSUpgradeChannel"]), AutomaticNodeOsChannels);
    }

    [Fact(Timeout = Timeout)]
    public async Task Deployer_WhenCompiled_MayFetchCredentialsAndAdministerTheCluster()
    {
        var (_, resources) = await TemplatesAsync(TestContext.Current.CancellationToken);
        var aks = resources.ResourcesOfType("Microsoft.ContainerService/managedClusters").Single();

        foreach (var role in new[] { AksClusterUser, AksRbacClusterAdmin })
        {
            var assignment = resources.ResourcesOfType("Microsoft.Authorization/roleAssignments")
                .Single(a => resources.Text(a["properties"]!["roleDefinitionId"]).EndsWith(role, StringComparison.Ordinal));
            Assert.True(resources.IsDeployed(assignment));
            Assert.Equal(DeployerObjectId, resources.Text(assignment["properties"]!["principalId"]));
            Assert.Equal(resources.Id(aks), resources.Text(assignment["scope"]));
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task AllowedRanges_WhenCompiled_AreARequiredParameterAzdPromptsFor()
    {
        var (main, _) = await TemplatesAsync(TestContext.Current.CancellationToken);
        var declaration = main.ParameterDeclaration("webAllowedSourceRanges")!;

        // No default and absent from main.parameters.json: azd asks on the first `azd up` and keeps the answer.
        Assert.Equal("array", ((string)declaration["type"]!).ToLowerInvariant());
        Assert.Null(declaration["defaultValue"]);
        Assert.Equal(1, (int)declaration["minLength"]!);
        Assert.Contains("0.0.0.0/0", (string)declaration["metadata"]!["description"]!, StringComparison.Ordinal);
        var file = JsonNode.Parse(await File.ReadAllTextAsync(Repository.Path("infra", "main.parameters.json"), TestContext.Current.CancellationToken))!;
        Assert.Null(file["parameters"]!["webAllowedSourceRanges"]);
    }

    [Fact(Timeout = Timeout)]
    public async Task Registry_WhenCompiled_HasAdminUserOffAndKubeletAcrPull()
    {
        var (_, resources) = await TemplatesAsync(TestContext.Current.CancellationToken);
        var registry = resources.ResourcesOfType("Microsoft.ContainerRegistry/registries").Single();
        var aks = resources.ResourcesOfType("Microsoft.ContainerService/managedClusters").Single();

        Assert.False((bool)registry["properties"]!["adminUserEnabled"]!);
        var acrPull = await RoleAssignmentsAsync("7f951dda-4ed3-4680-a7ca-43fe172d538d");
        Assert.Equal(new ArmReference(resources.Id(aks), "identityProfile.kubeletidentity.objectId"), Assert.Single(acrPull));
    }

    [Fact(Timeout = Timeout)]
    public async Task AppInsights_WhenCompiled_AcceptsOnlyEntraAuthenticatedTelemetryFromEachWorkload()
    {
        var (_, resources) = await TemplatesAsync(TestContext.Current.CancellationToken);
        var appInsights = resources.ResourcesOfType("Microsoft.Insights/components").Single();

        Assert.True((bool)appInsights["properties"]!["DisableLocalAuth"]!);
        Assert.NotNull(appInsights["properties"]!["WorkspaceResourceId"]);

        var publishers = await RoleAssignmentsAsync("3913510d-42f4-4e42-8a64-420c390055eb");
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
                "APPLICATIONINSIGHTS_CONNECTION_STRING", "AZURE_API_READER_ASSIGNMENT_ID", "AZURE_WEB_ALLOWED_SOURCE_RANGES"]),
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
        // Every parameter but the one azd must ask for (AllowedRanges_WhenCompiled_AreARequiredParameterAzdPromptsFor).
        Assert.Equal(compiled["parameters"]!.AsObject().Select(p => p.Key).Where(k => k != "webAllowedSourceRanges").Order(StringComparer.Ordinal),
            supplied.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>The user-assigned identity whose federated credential trusts <paramref name="serviceAccount"/>.</summary>
    internal static JsonObject IdentityOfServiceAccount(ArmTemplate resources, string serviceAccount)
    {
        var credential = resources.ResourcesOfType("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials")
            .Single(c => resources.Text(c["properties"]!["subject"]).EndsWith($":{serviceAccount}", StringComparison.Ordinal));
        var identityName = resources.Name(credential).Split('/')[0];
        return resources.ResourcesOfType("Microsoft.ManagedIdentity/userAssignedIdentities").Single(i => resources.Name(i) == identityName);
    }

    private static async Task<List<object?>> RoleAssignmentsAsync(string builtInRoleGuid) =>
        [.. (await AllRoleAssignmentsAsync(TestContext.Current.CancellationToken))
            .Where(x => x.Template.Text(x.Assignment["properties"]!["roleDefinitionId"]).EndsWith(builtInRoleGuid, StringComparison.Ordinal))
            .Select(x => x.Template.Value(x.Assignment["properties"]!["principalId"]))];

    /// <summary>Splits <c>a, f(b, c), d</c> into its three arguments (the test evaluator prints guid() unhashed).</summary>
    private static List<string> TopLevelArguments(string arguments)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < arguments.Length; i++)
        {
            depth += arguments[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0 && arguments[i] == ',')
            {
                parts.Add(arguments[start..i].Trim());
                start = i + 1;
            }
        }

        parts.Add(arguments[start..].Trim());
        return parts;
    }
}
