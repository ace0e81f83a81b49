using k8s;
using k8s.Models;
using RoleViewer.AppHost.Deployment;

namespace Deploy.Tests;

public sealed class ManifestPolicyTests
{
    // The first test to need the rendered manifests builds the Go renderer and renders every template; on a loaded
    // 2-core machine beside the other test projects that alone took over 30 s (a fresh-clone run under two busy loops).
    private const int Timeout = 180_000;

    public static TheoryData<string> Services() => [.. GeneratedManifests.Services()];

    [Fact(Timeout = Timeout)]
    public async Task Manifests_WhenRenderedAndParsedStrictly_AreKnownKubernetesObjects()
    {
        var manifests = await GeneratedManifests.RenderedAsync(TestContext.Current.CancellationToken);

        Assert.NotEmpty(manifests);
        foreach (var manifest in manifests)
        {
            Assert.NotEmpty(manifest.Parse());
            // azd renders *.tmpl.yaml only: a placeholder in any other file would reach the cluster as text.
            Assert.Equal(manifest.Source.Text.Contains("{{", StringComparison.Ordinal), manifest.Source.IsTemplate);
        }
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Services))]
    public async Task Deployment_WhenGenerated_RunsEveryContainerHardened(string service)
    {
        var deployment = await GeneratedManifests.DeploymentAsync(service, TestContext.Current.CancellationToken);
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
    public async Task Deployment_WhenGenerated_UsesWorkloadIdentityThroughItsServiceAccount(string service)
    {
        var manifests = (await GeneratedManifests.RenderedAsync(TestContext.Current.CancellationToken)).Where(m => m.Service == service).ToList();
        var environment = await GeneratedManifests.AzdEnvironmentAsync(TestContext.Current.CancellationToken);
        var deployment = GeneratedManifests.OfKind<V1Deployment>(manifests).Single();
        var account = GeneratedManifests.OfKind<V1ServiceAccount>(manifests).Single();
        var pod = deployment.Spec.Template;

        // The webhook selects pods by this label; on the service account alone it does nothing.
        Assert.Equal("true", pod.Metadata.Labels["azure.workload.identity/use"]);
        Assert.Equal(account.Metadata.Name, pod.Spec.ServiceAccountName);
        Assert.Equal(deployment.Metadata.NamespaceProperty, account.Metadata.NamespaceProperty);
        Assert.Equal(environment[$"AZURE_{service.ToUpperInvariant()}_IDENTITY_CLIENT_ID"], account.Metadata.Annotations["azure.workload.identity/client-id"]);
        Assert.Equal(environment[$"SERVICE_{service.ToUpperInvariant()}_IMAGE_NAME"], Assert.Single(pod.Spec.Containers).Image);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Services))]
    public async Task Deployment_WhenGenerated_HasDownwardApiAndAzdEnvironment(string service)
    {
        var environment = await GeneratedManifests.AzdEnvironmentAsync(TestContext.Current.CancellationToken);
        var env = Assert.Single((await GeneratedManifests.DeploymentAsync(service, TestContext.Current.CancellationToken)).Spec.Template.Spec.Containers).Env.ToDictionary(e => e.Name);

        Assert.Equal("metadata.name", env["POD_NAME"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("spec.nodeName", env["NODE_NAME"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("status.podIP", env["POD_IP"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("spec.serviceAccountName", env["POD_SERVICE_ACCOUNT"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal(environment["AZURE_SUBSCRIPTION_ID"], env["AZURE_SUBSCRIPTION_ID"].Value);
        Assert.Equal(environment["APPLICATIONINSIGHTS_CONNECTION_STRING"], env["APPLICATIONINSIGHTS_CONNECTION_STRING"].Value);
        // The webhook injects these; a literal here would override the projected identity.
        Assert.DoesNotContain("AZURE_CLIENT_ID", env.Keys);
        Assert.DoesNotContain("AZURE_FEDERATED_TOKEN_FILE", env.Keys);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Services))]
    public async Task Workload_WhenGenerated_HasDisruptionBudgetAndSpreadOverNodes(string service)
    {
        var manifests = (await GeneratedManifests.RenderedAsync(TestContext.Current.CancellationToken)).Where(m => m.Service == service).ToList();
        var deployment = GeneratedManifests.OfKind<V1Deployment>(manifests).Single();
        var budget = GeneratedManifests.OfKind<V1PodDisruptionBudget>(manifests).Single();
        var labels = deployment.Spec.Template.Metadata.Labels;

        Assert.All(budget.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, labels[l.Key]));
        var spread = Assert.Single(deployment.Spec.Template.Spec.TopologySpreadConstraints);
        Assert.Equal("kubernetes.io/hostname", spread.TopologyKey);
        Assert.All(spread.LabelSelector.MatchLabels, l => Assert.Equal(l.Value, labels[l.Key]));
    }

    [Fact(Timeout = Timeout)]
    public async Task Services_WhenGenerated_ExposeOnlyWebAndOnlyToTheAllowedRanges()
    {
        var services = GeneratedManifests.OfKind<V1Service>(await GeneratedManifests.RenderedAsync(TestContext.Current.CancellationToken)).ToDictionary(s => s.Metadata.Name);

        Assert.Equal("ClusterIP", services["api"].Spec.Type);
        Assert.Null(services["api"].Spec.LoadBalancerSourceRanges);
        Assert.Equal("LoadBalancer", services["web"].Spec.Type);
        // The JSON array azd wrote for the main.bicep output lands item by item in the Service.
        Assert.Equal(["203.0.113.0/24", "198.51.100.7/32"], services["web"].Spec.LoadBalancerSourceRanges);
    }

    [Fact(Timeout = Timeout)]
    public async Task Web_WhenGenerated_DiscoversApiOverHttpOnly()
    {
        var manifests = await GeneratedManifests.RenderedAsync(TestContext.Current.CancellationToken);
        var env = Assert.Single((await GeneratedManifests.DeploymentAsync("web", TestContext.Current.CancellationToken)).Spec.Template.Spec.Containers).Env;
        var discovery = env.Where(e => e.Name.StartsWith("services__", StringComparison.Ordinal)).ToList();
        var api = GeneratedManifests.OfKind<V1Service>(manifests).Single(s => s.Metadata.Name == "api");

        Assert.Equal("http://api:" + api.Spec.Ports.Single().Port, Assert.Single(discovery, e => e.Name == "services__api__http__0").Value);
        Assert.DoesNotContain(discovery, e => e.Name.Contains("https", StringComparison.Ordinal));
        Assert.DoesNotContain(env, e => e.Value?.StartsWith("https://", StringComparison.Ordinal) == true);
    }

    [Fact(Timeout = Timeout)]
    public void Manifests_WhenGenerated_NeverMentionTheEmulator()
    {
        Assert.All(GeneratedManifests.Committed(TestContext.Current.CancellationToken), m => Assert.DoesNotContain("emulator", m.Text, StringComparison.OrdinalIgnoreCase));
    }

    [Fact(Timeout = Timeout)]
    public void Manifests_WhenGenerated_DoNotTrustForwardedHeaders()
    {
        // Behind an L4 load balancer nobody sets X-Forwarded-*: trusting them lets any client choose its address and scheme.
        Assert.All(GeneratedManifests.Committed(TestContext.Current.CancellationToken),
            m => Assert.DoesNotContain("FORWARDEDHEADERS", m.Text, StringComparison.OrdinalIgnoreCase));
    }

    [Fact(Timeout = Timeout)]
    public async Task Namespace_WhenGenerated_EnforcesAuditsAndWarnsOnRestrictedPodSecurity()
    {
        var manifests = await GeneratedManifests.RenderedAsync(TestContext.Current.CancellationToken);
        var namespaces = GeneratedManifests.OfKind<V1Namespace>(manifests).ToList();

        // Every service folder carries the same namespace, so `azd deploy <service>` alone still labels it first.
        Assert.Equal(GeneratedManifests.Services().Count(), namespaces.Count);
        Assert.Single(manifests.Where(m => m.Source.RelativePath.EndsWith("/00-namespace.yaml", StringComparison.Ordinal)).Select(m => m.Text).Distinct());
        var ns = namespaces[0];
        Assert.Equal(DeploymentConventions.Namespace, ns.Metadata.Name);
        foreach (var mode in new[] { "enforce", "audit", "warn" })
        {
            Assert.Equal("restricted", ns.Metadata.Labels[$"pod-security.kubernetes.io/{mode}"]);
        }

        // Files named 00-* sort first, and azd applies a folder in file-name order.
        foreach (var service in GeneratedManifests.Services())
        {
            var first = manifests.Where(m => m.Service == service).OrderBy(m => Path.GetFileName(m.Source.RelativePath), StringComparer.Ordinal).First();
            Assert.IsType<V1Namespace>(Assert.Single(first.Parse()));
        }

        var namespaced = manifests.SelectMany(m => m.Parse()).OfType<IKubernetesObject<V1ObjectMeta>>().Where(o => o is not V1Namespace);
        Assert.All(namespaced, o => Assert.Equal(DeploymentConventions.Namespace, o.Metadata.NamespaceProperty));
    }

    [Fact(Timeout = Timeout)]
    public async Task NetworkPolicies_WhenGenerated_DenyEverythingByDefaultAndSelectEveryPod()
    {
        var manifests = await GeneratedManifests.RenderedAsync(TestContext.Current.CancellationToken);
        var policies = Distinct(GeneratedManifests.OfKind<V1NetworkPolicy>(manifests));

        var deny = Assert.Single(policies, p => p.Metadata.Name == "default-deny");
        Assert.Empty(deny.Spec.PodSelector.MatchLabels ?? new Dictionary<string, string>());
        Assert.Null(deny.Spec.PodSelector.MatchExpressions);
        Assert.Equal(["Egress", "Ingress"], deny.Spec.PolicyTypes.Order(StringComparer.Ordinal));
        Assert.Null(deny.Spec.Ingress);
        Assert.Null(deny.Spec.Egress);

        foreach (var deployment in GeneratedManifests.OfKind<V1Deployment>(manifests))
        {
            var labels = deployment.Spec.Template.Metadata.Labels;
            var own = policies.Where(p => p.Spec.PodSelector.MatchLabels is { Count: > 0 } match && match.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value)).ToList();
            var policy = Assert.Single(own);
            Assert.Equal(["Egress", "Ingress"], policy.Spec.PolicyTypes.Order(StringComparer.Ordinal));
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task NetworkPolicies_WhenGenerated_AllowOnlyLoadBalancerToWebWebToApiDnsAndHttps()
    {
        var manifests = await GeneratedManifests.RenderedAsync(TestContext.Current.CancellationToken);
        var policies = Distinct(GeneratedManifests.OfKind<V1NetworkPolicy>(manifests)).ToDictionary(p => p.Metadata.Name);
        var services = GeneratedManifests.OfKind<V1Service>(manifests).ToDictionary(s => s.Metadata.Name);
        var apiPort = services["api"].Spec.Ports.Single().Port;
        var webPort = Assert.Single(Assert.Single((await GeneratedManifests.DeploymentAsync("web", TestContext.Current.CancellationToken)).Spec.Template.Spec.Containers).Ports).ContainerPort;

        // web <- load balancer: its container port from any source (the Service's source ranges filter the clients).
        var webIn = Assert.Single(policies["web"].Spec.Ingress);
        Assert.Null(webIn.FromProperty);
        Assert.Equal([$"TCP/{webPort}"], webIn.Ports.Select(Port));

        // api <- web only.
        var apiIn = Assert.Single(policies["api"].Spec.Ingress);
        Assert.Equal("web", Assert.Single(Assert.Single(apiIn.FromProperty).PodSelector.MatchLabels).Value);
        Assert.Null(Assert.Single(apiIn.FromProperty).IpBlock);
        Assert.Null(Assert.Single(apiIn.FromProperty).NamespaceSelector);
        Assert.Equal([$"TCP/{apiPort}"], apiIn.Ports.Select(Port));

        // Egress: web -> api on its port; both -> 443 anywhere; nothing else besides DNS.
        Assert.Equal(["api TCP/" + apiPort, "0.0.0.0/0 TCP/443"], Egress(policies["web"]));
        Assert.Equal(["0.0.0.0/0 TCP/443"], Egress(policies["api"]));

        var dns = policies["allow-dns"];
        Assert.Empty(dns.Spec.PodSelector.MatchLabels ?? new Dictionary<string, string>());
        Assert.Equal(["Egress"], dns.Spec.PolicyTypes);
        var rule = Assert.Single(dns.Spec.Egress);
        var peer = Assert.Single(rule.To);
        Assert.Equal("kube-system", peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal("kube-dns", peer.PodSelector.MatchLabels["k8s-app"]);
        Assert.Equal(["TCP/53", "UDP/53"], rule.Ports.Select(Port).Order(StringComparer.Ordinal));
    }

    private static List<V1NetworkPolicy> Distinct(IEnumerable<V1NetworkPolicy> policies) =>
        [.. policies.GroupBy(p => p.Metadata.Name).Select(g => g.First())];

    private static string Port(V1NetworkPolicyPort port) => $"{port.Protocol}/{port.Port}";

    private static List<string> Egress(V1NetworkPolicy policy) =>
        [.. policy.Spec.Egress.SelectMany(rule => rule.To.SelectMany(to => rule.Ports.Select(port =>
            $"{to.IpBlock?.Cidr ?? to.PodSelector.MatchLabels["app.kubernetes.io/name"]} {Port(port)}")))];
}
