using k8s.Models;

namespace Deploy.Tests;

/// <summary>
/// The committed *.tmpl.yaml files rendered by Go text/template as azd renders them (AzdRender), then parsed
/// strictly by KubernetesClient and validated against the Kubernetes API schema (kubernetes-models).
/// </summary>
public sealed class TemplateRenderingTests
{
    private const int Timeout = 180_000;

    private static async Task<string> TemporaryTemplateAsync(string text, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"roleviewer-{Guid.NewGuid():N}.tmpl.yaml");
        await File.WriteAllTextAsync(path, text, cancellationToken);
        return path;
    }

    [Fact(Timeout = Timeout)]
    public async Task Render_WhenAValueIsMissing_FailsInsteadOfWritingNoValue()
    {
        var path = await TemporaryTemplateAsync("image: '{{.Env.SERVICE_API_IMAGE_NAME}}'\n", TestContext.Current.CancellationToken);
        try
        {
            var error = await Assert.ThrowsAsync<AzdRenderException>(() =>
                AzdRenderer.RenderAsync(path, new Dictionary<string, string>(), TestContext.Current.CancellationToken));

            Assert.Contains("SERVICE_API_IMAGE_NAME", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Render_WhenTemplateHoldsHelmSyntax_Fails()
    {
        var path = await TemporaryTemplateAsync("image: '{{ .Values.image }}'\n", TestContext.Current.CancellationToken);
        try
        {
            // Go looks .Values up on azd's root, which has only Env.
            await Assert.ThrowsAsync<AzdRenderException>(() =>
                AzdRenderer.RenderAsync(path, new Dictionary<string, string>(), TestContext.Current.CancellationToken));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task Templates_WhenAnyAzdValueIsMissing_FailToRender()
    {
        // Each value the templates read must break rendering when absent, as it would break the rollout.
        var cancellationToken = TestContext.Current.CancellationToken;
        var environment = await GeneratedManifests.AzdEnvironmentAsync(cancellationToken);
        var templates = GeneratedManifests.Committed(cancellationToken).Where(m => m.IsTemplate).ToList();
        var used = environment.Keys.Where(k => templates.Any(t => t.Text.Contains($".Env.{k}}}", StringComparison.Ordinal))).ToList();

        Assert.Contains(DeploymentConventionsAllowedRanges, used);
        foreach (var key in used)
        {
            var without = environment.Where(e => e.Key != key).ToDictionary();
            var template = templates.First(t => t.Text.Contains($".Env.{key}}}", StringComparison.Ordinal));
            var error = await Assert.ThrowsAsync<AzdRenderException>(() => AzdRenderer.RenderAsync(template.FullPath, without, cancellationToken));
            Assert.Contains(key, error.Message, StringComparison.Ordinal);
        }
    }

    private const string DeploymentConventionsAllowedRanges = RoleViewer.AppHost.Deployment.DeploymentConventions.AllowedSourceRangesVariable;

    [Fact(Timeout = Timeout)]
    public async Task Manifests_WhenRendered_ValidateAgainstTheKubernetesApiSchema()
    {
        var manifests = await GeneratedManifests.RenderedAsync(TestContext.Current.CancellationToken);

        Assert.All(manifests, m => Assert.DoesNotContain("<no value>", m.Text, StringComparison.Ordinal));
        var problems = await KubernetesSchema.ProblemsAsync(manifests.Select(m => m.Json()), TestContext.Current.CancellationToken);

        Assert.Empty(problems);
    }

    [Fact(Timeout = Timeout)]
    public async Task Schema_WhenAFieldHasTheWrongTypeOrValue_RejectsIt()
    {
        // Proves the validator bites: the web Service with its ranges as one string, a policy type that does not exist.
        var manifests = await GeneratedManifests.RenderedAsync(TestContext.Current.CancellationToken);
        var service = manifests.Single(m => m.Source.RelativePath == "web/03-service.tmpl.yaml").Json();
        service["spec"]!["loadBalancerSourceRanges"] = "203.0.113.0/24";
        var policy = manifests.Single(m => m.Source.RelativePath == "api/05-networkpolicy.yaml").Json();
        policy["spec"]!["policyTypes"] = new JsonArray("Ingress", "Sideways");

        var problems = await KubernetesSchema.ProblemsAsync([service, policy], TestContext.Current.CancellationToken);

        Assert.Contains(problems, p => p.Contains("Service/web", StringComparison.Ordinal) && p.Contains("loadBalancerSourceRanges", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("NetworkPolicy/api", StringComparison.Ordinal) && p.Contains("policyTypes", StringComparison.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task StrictParse_WhenAFieldNameIsMisspelt_RejectsIt()
    {
        var manifests = await GeneratedManifests.RenderedAsync(TestContext.Current.CancellationToken);
        var service = manifests.Single(m => m.Source.RelativePath == "web/03-service.tmpl.yaml").Text;

        Assert.ThrowsAny<Exception>(() => ManifestSource.Parse(service.Replace("loadBalancerSourceRanges:", "loadBalancerSourceRange:", StringComparison.Ordinal)));
    }

    [Theory(Timeout = Timeout)]
    [InlineData("api")]
    [InlineData("web")]
    public async Task RenderedServiceAccount_WhenComparedWithBicep_CarriesTheClientIdOfTheIdentityTrustingIt(string service)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var values = await GeneratedManifests.AzdEnvironmentAsync(cancellationToken);
        var (main, resources) = await BicepTests.TemplatesAsync(cancellationToken);
        var objects = (await GeneratedManifests.RenderedAsync(cancellationToken)).Where(m => m.Service == service).SelectMany(m => m.Parse()).ToList();
        var account = objects.OfType<V1ServiceAccount>().Single();
        var deployment = objects.OfType<V1Deployment>().Single();

        // Which Bicep output did the annotation come from, and which identity does that output read?
        var clientId = account.Metadata.Annotations["azure.workload.identity/client-id"];
        var output = Assert.Single(values, v => v.Value == clientId).Key;
        var identity = BicepTests.IdentityOfServiceAccount(resources, account.Metadata.Name);
        Assert.Equal(new ArmReference(resources.Id(identity), "clientId"), main.Output(output));

        // The federated subject is exactly the namespace and service account the pods run as.
        var credential = resources.ResourcesOfType("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials")
            .Single(c => resources.Name(c).StartsWith(resources.Name(identity) + "/", StringComparison.Ordinal));
        Assert.Equal(
            $"system:serviceaccount:{deployment.Metadata.NamespaceProperty}:{deployment.Spec.Template.Spec.ServiceAccountName}",
            resources.Text(credential["properties"]!["subject"]));
        Assert.Equal(main.Output("AZURE_AKS_NAMESPACE")?.ToString(), account.Metadata.NamespaceProperty);

        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal(values[$"SERVICE_{service.ToUpperInvariant()}_IMAGE_NAME"], container.Image);
        Assert.Equal(values["APPLICATIONINSIGHTS_CONNECTION_STRING"], container.Env.Single(e => e.Name == "APPLICATIONINSIGHTS_CONNECTION_STRING").Value);
    }

    [Fact(Timeout = Timeout)]
    public async Task AllowedRanges_WhenRendered_ComeFromTheRequiredBicepParameterThroughItsOutput()
    {
        var (main, _) = await BicepTests.TemplatesAsync(TestContext.Current.CancellationToken);

        // The output azd writes to .env is the parameter azd prompted for, unchanged.
        Assert.Equal("array", main.OutputType(DeploymentConventionsAllowedRanges));
        Assert.Same(BicepTests.SampleAllowedRanges, main.Output(DeploymentConventionsAllowedRanges));
        var web = GeneratedManifests.OfKind<V1Service>(await GeneratedManifests.RenderedAsync(TestContext.Current.CancellationToken)).Single(s => s.Metadata.Name == "web");
        Assert.Equal(BicepTests.SampleAllowedRanges.Select(n => n!.GetValue<string>()), web.Spec.LoadBalancerSourceRanges);
    }
}
