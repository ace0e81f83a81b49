using k8s.Models;

namespace Deploy.Tests;

public sealed class TemplateRenderingTests
{
    private const int Timeout = 120_000;

    /// <summary>What azd has in its environment at deploy time: every main.bicep output plus the pushed images.</summary>
    private static async Task<(Dictionary<string, string> Values, ArmTemplate Main, ArmTemplate Resources)> AzdEnvironmentAsync(CancellationToken cancellationToken)
    {
        var (main, resources) = await BicepTests.TemplatesAsync(cancellationToken);
        var values = main.OutputNames.ToDictionary(name => name, name => $"sample-{name.ToLowerInvariant()}");
        foreach (var service in GeneratedManifests.Services())
        {
            values[$"SERVICE_{service.ToUpperInvariant()}_IMAGE_NAME"] = $"crsample.azurecr.io/roleviewer/{service}-test:azd-deploy-1";
        }

        return (values, main, resources);
    }

    // Pure in-memory string work: no timeout needed.
    [Fact]
    public void Render_WhenAValueIsMissing_FailsInsteadOfWritingNoValue()
    {
        var error = Assert.Throws<KeyNotFoundException>(() =>
            AzdTemplate.Render("image: '{{.Env.SERVICE_API_IMAGE_NAME}}'", new Dictionary<string, string>(), "sample"));

        Assert.Contains("SERVICE_API_IMAGE_NAME", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WhenTemplateHasOtherActions_Fails()
    {
        Assert.Throws<FormatException>(() =>
            AzdTemplate.Render("image: '{{ .Values.image }}'", new Dictionary<string, string>(), "sample"));
    }

    [Fact(Timeout = Timeout)]
    public async Task Templates_WhenRenderedWithAzdValues_ParseStrictlyWithEveryValueFilled()
    {
        var (values, _, _) = await AzdEnvironmentAsync(TestContext.Current.CancellationToken);

        foreach (var manifest in GeneratedManifests.Committed(TestContext.Current.CancellationToken))
        {
            var rendered = AzdTemplate.Render(manifest.Text, values, manifest.RelativePath);

            Assert.DoesNotContain("<no value>", rendered, StringComparison.Ordinal);
            Assert.NotEmpty(ManifestSource.Parse(rendered));
        }
    }

    [Theory(Timeout = Timeout)]
    [InlineData("api")]
    [InlineData("web")]
    public async Task RenderedServiceAccount_WhenComparedWithBicep_CarriesTheClientIdOfTheIdentityTrustingIt(string service)
    {
        var (values, main, resources) = await AzdEnvironmentAsync(TestContext.Current.CancellationToken);
        var manifests = GeneratedManifests.Committed(TestContext.Current.CancellationToken).Where(m => m.Service == service)
            .Select(m => AzdTemplate.Render(m.Text, values, m.RelativePath));
        var objects = manifests.SelectMany(ManifestSource.Parse).ToList();
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
        Assert.Equal(main.Text(main.Output("AZURE_AKS_NAMESPACE") is { } ns ? System.Text.Json.Nodes.JsonValue.Create(ns.ToString()) : null),
            account.Metadata.NamespaceProperty);

        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal(values[$"SERVICE_{service.ToUpperInvariant()}_IMAGE_NAME"], container.Image);
        Assert.Equal(values["APPLICATIONINSIGHTS_CONNECTION_STRING"], container.Env.Single(e => e.Name == "APPLICATIONINSIGHTS_CONNECTION_STRING").Value);
    }
}
