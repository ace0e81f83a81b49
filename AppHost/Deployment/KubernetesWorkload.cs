using k8s.Models;

namespace RoleViewer.AppHost.Deployment;

/// <summary>What the generator knows about one compute resource of the app model.</summary>
/// <param name="Name">Aspire resource name; also the Deployment, Service and container name.</param>
/// <param name="HttpPort">Container and Service port of the resource's http endpoint.</param>
/// <param name="IsExternal">The endpoint is external (WithExternalHttpEndpoints): exposed by a LoadBalancer.</param>
/// <param name="Environment">Literal environment from the app model, in model order.</param>
/// <param name="References">Resources this one calls (WithReference), by name: the only in-cluster traffic allowed.</param>
public sealed record KubernetesWorkload(
    string Name, int HttpPort, bool IsExternal, IReadOnlyList<KeyValuePair<string, string>> Environment, IReadOnlyList<string> References)
{
    /// <summary>Stands for the allowed-ranges list until the generator swaps it for azd's JSON array (see KubernetesManifestGenerator).</summary>
    internal static readonly string SourceRangesMarker = "list:" + DeploymentConventions.AllowedSourceRangesVariable;

    // preStop pause: endpoints controllers and load balancers stop routing to the pod before the app stops.
    private const int PreStopSeconds = 5;

    // Pause + HostOptions.ShutdownTimeout (30 s default) + slack, so in-flight requests finish before SIGKILL.
    private const int TerminationGracePeriodSeconds = PreStopSeconds + 30 + 5;

    private const string TmpVolume = "tmp";

    public string ServiceAccountName => DeploymentConventions.ServiceAccountName(Name);

    private Dictionary<string, string> Labels => new()
    {
        ["app.kubernetes.io/name"] = Name,
        ["app.kubernetes.io/part-of"] = DeploymentConventions.PartOf,
    };

    private Dictionary<string, string> Selector => new() { ["app.kubernetes.io/name"] = Name };

    private static Dictionary<string, string> SelectorOf(string name) => new() { ["app.kubernetes.io/name"] = name };

    private V1ObjectMeta Metadata(IDictionary<string, string>? annotations = null) => new()
    {
        Name = Name,
        NamespaceProperty = DeploymentConventions.Namespace,
        Labels = Labels,
        Annotations = annotations,
    };

    public V1ServiceAccount ServiceAccount() => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = new V1ObjectMeta
        {
            Name = ServiceAccountName,
            NamespaceProperty = DeploymentConventions.Namespace,
            Labels = Labels,
            Annotations = new Dictionary<string, string>
            {
                ["azure.workload.identity/client-id"] =
                    DeploymentConventions.Placeholder(DeploymentConventions.IdentityClientIdVariable(Name)),
            },
        },
        // The workload identity webhook projects its own token; the API server token is not needed.
        AutomountServiceAccountToken = false,
    };

    public V1Deployment Deployment()
    {
        var podLabels = Labels;
        // The webhook selects pods by this label (on the pod, not the service account, since webhook v1.0).
        podLabels["azure.workload.identity/use"] = "true";

        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Metadata(),
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                RevisionHistoryLimit = 3,
                Selector = new V1LabelSelector { MatchLabels = Selector },
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = 1, MaxUnavailable = 0 },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = podLabels },
                    Spec = PodSpec(),
                },
            },
        };
    }

    private V1PodSpec PodSpec() => new()
    {
        ServiceAccountName = ServiceAccountName,
        AutomountServiceAccountToken = false,
        TerminationGracePeriodSeconds = TerminationGracePeriodSeconds,
        SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        TopologySpreadConstraints =
        [
            new V1TopologySpreadConstraint
            {
                MaxSkew = 1,
                TopologyKey = "kubernetes.io/hostname",
                WhenUnsatisfiable = "ScheduleAnyway",
                LabelSelector = new V1LabelSelector { MatchLabels = Selector },
            },
        ],
        Containers = [Container()],
        // The root filesystem is read-only; .NET still needs a writable /tmp (diagnostics IPC, temp files).
        Volumes = [new V1Volume { Name = TmpVolume, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = "64Mi" } }],
    };

    private V1Container Container() => new()
    {
        Name = Name,
        Image = DeploymentConventions.Placeholder(DeploymentConventions.ImageVariable(Name)),
        Ports = [new V1ContainerPort { Name = "http", ContainerPort = HttpPort, Protocol = "TCP" }],
        Env = EnvironmentVariables(),
        StartupProbe = Probe("/alive", periodSeconds: 2, failureThreshold: 30),
        LivenessProbe = Probe("/alive", periodSeconds: 10, failureThreshold: 3),
        ReadinessProbe = Probe("/health", periodSeconds: 5, failureThreshold: 3),
        Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("128Mi") },
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("384Mi") },
        },
        SecurityContext = new V1SecurityContext
        {
            RunAsNonRoot = true,
            ReadOnlyRootFilesystem = true,
            AllowPrivilegeEscalation = false,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        // Sleep action of the kubelet: chiseled images have no shell to run `sleep` in.
        Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = PreStopSeconds } } },
        VolumeMounts = [new V1VolumeMount { Name = TmpVolume, MountPath = "/tmp" }],
    };

    private static V1Probe Probe(string path, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = "http" },
        PeriodSeconds = periodSeconds,
        FailureThreshold = failureThreshold,
        TimeoutSeconds = 2,
    };

    private List<V1EnvVar> EnvironmentVariables()
    {
        var deployment = new List<V1EnvVar>
        {
            FromAzd("AZURE_SUBSCRIPTION_ID"),
            FromAzd("APPLICATIONINSIGHTS_CONNECTION_STRING"),
            FromField("POD_NAME", "metadata.name"),
            FromField("POD_NAMESPACE", "metadata.namespace"),
            FromField("NODE_NAME", "spec.nodeName"),
            FromField("POD_IP", "status.podIP"),
            FromField("POD_SERVICE_ACCOUNT", "spec.serviceAccountName"),
        };

        var clash = Environment.Select(e => e.Key).Intersect(deployment.Select(e => e.Name), StringComparer.Ordinal).FirstOrDefault();
        if (clash is not null)
        {
            throw new InvalidOperationException(
                $"The app model sets '{clash}' on '{Name}' in publish mode, but the Kubernetes deployment sets it too " +
                "(AppHost/Deployment/KubernetesWorkload.cs). Set it only in run mode (builder.ExecutionContext.IsRunMode).");
        }

        return [.. Environment.Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }), .. deployment];
    }

    private static V1EnvVar FromAzd(string variable) => new() { Name = variable, Value = DeploymentConventions.Placeholder(variable) };

    private static V1EnvVar FromField(string name, string fieldPath) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = fieldPath } } };

    public V1Service Service() => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Metadata(),
        Spec = new V1ServiceSpec
        {
            // Only web is public; api stays inside the cluster.
            Type = IsExternal ? "LoadBalancer" : "ClusterIP",
            // Closed by default: only the ranges given to `azd up` reach the load balancer (Azure enforces it in the NSG).
            LoadBalancerSourceRanges = IsExternal ? [SourceRangesMarker] : null,
            Selector = Selector,
            Ports = [new V1ServicePort { Name = "http", Port = IsExternal ? 80 : HttpPort, TargetPort = "http", Protocol = "TCP" }],
        },
    };

    public V1PodDisruptionBudget PodDisruptionBudget() => new()
    {
        ApiVersion = "policy/v1",
        Kind = "PodDisruptionBudget",
        Metadata = Metadata(),
        Spec = new V1PodDisruptionBudgetSpec
        {
            MaxUnavailable = 1,
            Selector = new V1LabelSelector { MatchLabels = Selector },
        },
    };

    /// <summary>
    /// What this workload may receive and send on top of the namespace's default deny: the load balancer's traffic
    /// if it is external, calls from the workloads that reference it; calls to the workloads it references, and
    /// HTTPS to Azure (Entra token exchange, ARM, Application Insights). DNS is allowed namespace-wide.
    /// </summary>
    public V1NetworkPolicy NetworkPolicy(IReadOnlyList<KubernetesWorkload> all)
    {
        var callers = all.Where(w => w.References.Contains(Name, StringComparer.Ordinal)).Select(w => w.Name).ToList();
        var ingress = new List<V1NetworkPolicyIngressRule>();
        if (IsExternal)
        {
            // Any source: the Service's loadBalancerSourceRanges decide who reaches the load balancer, and with the
            // default externalTrafficPolicy the pod sees node addresses, not the client's.
            ingress.Add(new V1NetworkPolicyIngressRule { Ports = [TcpPort(HttpPort)] });
        }

        if (callers.Count > 0)
        {
            ingress.Add(new V1NetworkPolicyIngressRule
            {
                FromProperty = [.. callers.Select(c => new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = SelectorOf(c) } })],
                Ports = [TcpPort(HttpPort)],
            });
        }

        var egress = References.Select(r => all.Single(w => w.Name == r)).Select(target => new V1NetworkPolicyEgressRule
        {
            To = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = SelectorOf(target.Name) } }],
            Ports = [TcpPort(target.HttpPort)],
        }).ToList();
        // Entra ID, ARM and Application Insights have no fixed addresses; port 443 is what can be pinned.
        egress.Add(new V1NetworkPolicyEgressRule
        {
            To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0" } }],
            Ports = [TcpPort(443)],
        });

        return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = Metadata(),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = Selector },
                PolicyTypes = ["Ingress", "Egress"],
                Ingress = ingress,
                Egress = egress,
            },
        };
    }

    private static V1NetworkPolicyPort TcpPort(int port) => new() { Port = port, Protocol = "TCP" };
}
