using k8s.Models;

namespace Deploy.Tests;

public sealed class ManifestPolicyTests
{
    private const int Timeout = 30_000;

    public static TheoryData<string> Services() => [.. GeneratedManifests.Services()];

    [Fact(Timeout = Timeout)]
    public void Manifests_WhenParsedStrictly_AreKnownKubernetesObjects()
    {
        var manifests = GeneratedManifests.Committed(TestContext.Current.CancellationToken);

        Assert.NotEmpty(manifests);
        foreach (var manifest in manifests)
        {
            var objects = manifest.Parse();
            Assert.NotEmpty(objects);
            Assert.Equal(manifest.Text.Contains("{{", StringComparison.Ordinal), manifest.IsTemplate);
        }
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Services))]
    public void Deployment_WhenGenerated_RunsEveryContainerHardened(string service)
    {
        var deployment = GeneratedManifests.Deployment(service, TestContext.Current.CancellationToken);
        var pod = deployment.Spec.Template.Spec;

        Assert.True(deployment.Spec.Replicas >= 2, "at least two replicas");
        Assert.False(pod.AutomountServiceAccountToken);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.NotEmpty(pod.Containers);
        foreach (var container in pod.Containers)
        {
            var security = container.SecurityContext;
            Assert.True(security.RunAsNonRoot, $"{container.Name}: runAsNonRoot");
            Assert.True(security.ReadOnlyRootFilesystem, $"{container.Name}: readOnlyRootFilesystem");
            Assert.False(security.AllowPrivilegeEscalation, $"{container.Name}: allowPrivilegeEscalation");
            Assert.Equal(["ALL"], security.Capabilities.Drop);
            Assert.Null(security.Capabilities.Add);
            Assert.Equal("RuntimeDefault", security.SeccompProfile.Type);

            var tmp = Assert.Single(container.VolumeMounts, m => m.MountPath == "/tmp");
            Assert.NotNull(Assert.Single(pod.Volumes, v => v.Name == tmp.Name).EmptyDir);

            foreach (var resource in new[] { "cpu", "memory" })
            {
                Assert.True(container.Resources.Requests.ContainsKey(resource), $"{container.Name}: {resource} request");
                Assert.True(container.Resources.Limits.ContainsKey(resource), $"{container.Name}: {resource} limit");
            }

            Assert.Equal("/alive", container.StartupProbe.HttpGet.Path);
            Assert.Equal("/alive", container.LivenessProbe.HttpGet.Path);
            Assert.Equal("/health", container.ReadinessProbe.HttpGet.Path);

            var preStop = container.Lifecycle.PreStop.Sleep.Seconds;
            Assert.True(preStop > 0 && pod.TerminationGracePeriodSeconds > preStop + 30,
                $"{container.Name}: grace period {pod.TerminationGracePeriodSeconds}s must cover preStop {preStop}s plus the 30 s host shutdown");
        }
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Services))]
    public void Deployment_WhenGenerated_UsesWorkloadIdentityThroughItsServiceAccount(string service)
    {
        var manifests = GeneratedManifests.Committed(TestContext.Current.CancellationToken).Where(m => m.Service == service).ToList();
        var deployment = GeneratedManifests.OfKind<V1Deployment>(manifests).Single();
        var account = GeneratedManifests.OfKind<V1ServiceAccount>(manifests).Single();
        var pod = deployment.Spec.Template;

        // The webhook selects pods by this label; on the service account alone it does nothing.
        Assert.Equal("true", pod.Metadata.Labels["azure.workload.identity/use"]);
        Assert.Equal(account.Metadata.Name, pod.Spec.ServiceAccountName);
        Assert.Equal(deployment.Metadata.NamespaceProperty, account.Metadata.NamespaceProperty);
        Assert.Matches(@"^\{\{\.Env\.AZURE_[A-Z_]+_IDENTITY_CLIENT_ID\}\}$", account.Metadata.Annotations["azure.workload.identity/client-id"]);
        Assert.Equal($"{{{{.Env.SERVICE_{service.ToUpperInvariant()}_IMAGE_NAME}}}}", Assert.Single(pod.Spec.Containers).Image);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Services))]
    public void Deployment_WhenGenerated_HasDownwardApiAndAzdEnvironment(string service)
    {
        var env = Assert.Single(GeneratedManifests.Deployment(service, TestContext.Current.CancellationToken).Spec.Template.Spec.Containers).Env.ToDictionary(e => e.Name);

        Assert.Equal("metadata.name", env["POD_NAME"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("spec.nodeName", env["NODE_NAME"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("status.podIP", env["POD_IP"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("spec.serviceAccountName", env["POD_SERVICE_ACCOUNT"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("{{.Env.AZURE_SUBSCRIPTION_ID}}", env["AZURE_SUBSCRIPTION_ID"].Value);
        Assert.Equal("{{.Env.APPLICATIONINSIGHTS_CONNECTION_STRING}}", env["APPLICATIONINSIGHTS_CONNECTION_STRING"].Value);
        // The webhook injects these; a literal here would override the projected identity.
        Assert.DoesNotContain("AZURE_CLIENT_ID", env.Keys);
        Assert.DoesNotContain("AZURE_FEDERATED_TOKEN_FILE", env.Keys);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Services))]
    public void Workload_WhenGenerated_HasDisruptionBudgetAndSpreadOverNodes(string service)
    {
        var manifests = GeneratedManifests.Committed(TestContext.Current.CancellationToken).Where(m => m.Service == service).ToList();
        var deployment = GeneratedManifests.OfKind<V1Deployment>(manifests).Single();
        var budget = GeneratedManifests.OfKind<V1PodDisruptionBudget>(manifests).Single();
        var labels = deployment.Spec.Template.Metadata.Labels;

        Assert.All(budget.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, labels[l.Key]));
        var spread = Assert.Single(deployment.Spec.Template.Spec.TopologySpreadConstraints);
        Assert.Equal("kubernetes.io/hostname", spread.TopologyKey);
        Assert.All(spread.LabelSelector.MatchLabels, l => Assert.Equal(l.Value, labels[l.Key]));
    }

    [Fact(Timeout = Timeout)]
    public void Services_WhenGenerated_ExposeOnlyWebPublicly()
    {
        var services = GeneratedManifests.OfKind<V1Service>(GeneratedManifests.Committed(TestContext.Current.CancellationToken)).ToDictionary(s => s.Metadata.Name);

        Assert.Equal("ClusterIP", services["api"].Spec.Type);
        Assert.Equal("LoadBalancer", services["web"].Spec.Type);
    }

    [Fact(Timeout = Timeout)]
    public void Web_WhenGenerated_DiscoversApiOverHttpOnly()
    {
        var env = Assert.Single(GeneratedManifests.Deployment("web", TestContext.Current.CancellationToken).Spec.Template.Spec.Containers).Env;
        var discovery = env.Where(e => e.Name.StartsWith("services__", StringComparison.Ordinal)).ToList();
        var api = GeneratedManifests.OfKind<V1Service>(GeneratedManifests.Committed(TestContext.Current.CancellationToken)).Single(s => s.Metadata.Name == "api");

        Assert.Equal("http://api:" + api.Spec.Ports.Single().Port, Assert.Single(discovery, e => e.Name == "services__api__http__0").Value);
        Assert.DoesNotContain(discovery, e => e.Name.Contains("https", StringComparison.Ordinal));
        Assert.DoesNotContain(env, e => e.Value?.StartsWith("https://", StringComparison.Ordinal) == true);
    }

    [Fact(Timeout = Timeout)]
    public void Manifests_WhenGenerated_NeverMentionTheEmulator()
    {
        Assert.All(GeneratedManifests.Committed(TestContext.Current.CancellationToken), m => Assert.DoesNotContain("emulator", m.Text, StringComparison.OrdinalIgnoreCase));
    }
}
