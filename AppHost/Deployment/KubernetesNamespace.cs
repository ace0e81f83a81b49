using k8s.Models;

namespace RoleViewer.AppHost.Deployment;

/// <summary>
/// The namespace and the policies every pod in it shares: Pod Security <c>restricted</c> (enforced, audited and
/// warned on), no traffic at all unless a workload's own NetworkPolicy allows it, and DNS for everyone.
/// </summary>
public static class KubernetesNamespace
{
    private static V1ObjectMeta Metadata(string name) => new()
    {
        Name = name,
        NamespaceProperty = DeploymentConventions.Namespace,
        Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = DeploymentConventions.PartOf },
    };

    public static V1Namespace Namespace() => new()
    {
        ApiVersion = "v1",
        Kind = "Namespace",
        Metadata = new V1ObjectMeta
        {
            Name = DeploymentConventions.Namespace,
            Labels = new Dictionary<string, string>
            {
                ["app.kubernetes.io/part-of"] = DeploymentConventions.PartOf,
                ["pod-security.kubernetes.io/enforce"] = DeploymentConventions.PodSecurityLevel,
                ["pod-security.kubernetes.io/audit"] = DeploymentConventions.PodSecurityLevel,
                ["pod-security.kubernetes.io/warn"] = DeploymentConventions.PodSecurityLevel,
            },
        },
    };

    /// <summary>Selects every pod and allows nothing: whatever a workload policy does not allow is dropped.</summary>
    public static V1NetworkPolicy DefaultDeny() => NetworkPolicy("default-deny", new V1NetworkPolicySpec
    {
        PodSelector = new V1LabelSelector(),
        PolicyTypes = ["Ingress", "Egress"],
    });

    /// <summary>Name resolution through the cluster DNS (CoreDNS in kube-system), for every pod.</summary>
    public static V1NetworkPolicy AllowDns() => NetworkPolicy("allow-dns", new V1NetworkPolicySpec
    {
        PodSelector = new V1LabelSelector(),
        PolicyTypes = ["Egress"],
        Egress =
        [
            new V1NetworkPolicyEgressRule
            {
                To =
                [
                    new V1NetworkPolicyPeer
                    {
                        NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "kube-system" } },
                        PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" } },
                    },
                ],
                Ports = [new V1NetworkPolicyPort { Port = 53, Protocol = "UDP" }, new V1NetworkPolicyPort { Port = 53, Protocol = "TCP" }],
            },
        ],
    });

    private static V1NetworkPolicy NetworkPolicy(string name, V1NetworkPolicySpec spec) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = Metadata(name),
        Spec = spec,
    };
}
