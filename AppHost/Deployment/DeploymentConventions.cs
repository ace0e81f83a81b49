namespace RoleViewer.AppHost.Deployment;

/// <summary>
/// Names shared by the generated manifests, infra/main.bicep and azure.yaml. The federated identity
/// credential's subject is <c>system:serviceaccount:{Namespace}:{service account}</c>, so a rename here
/// must be made in all three places (Tests/Deploy.Tests checks that they agree).
/// </summary>
public static class DeploymentConventions
{
    public const string Namespace = "roleviewer";

    public const string PartOf = "roleviewer";

    /// <summary>Port the containers listen on: the ASPNETCORE_HTTP_PORTS default of the .NET 8+ images.</summary>
    public const int DefaultHttpPort = 8080;

    /// <summary>Pipeline step that writes the manifests; also the name azure.yaml and README.md use.</summary>
    public const string PipelineStepName = "publish-roleviewer-k8s";

    public static string ServiceAccountName(string resourceName) => $"roleviewer-{resourceName}";

    /// <summary>azd writes the pushed image of service <c>api</c> to SERVICE_API_IMAGE_NAME.</summary>
    public static string ImageVariable(string resourceName) => $"SERVICE_{EnvName(resourceName)}_IMAGE_NAME";

    /// <summary>main.bicep output holding the client id of the resource's user-assigned identity.</summary>
    public static string IdentityClientIdVariable(string resourceName) => $"AZURE_{EnvName(resourceName)}_IDENTITY_CLIENT_ID";

    /// <summary>main.bicep output (a JSON array in azd's .env) with the address ranges allowed to reach the LoadBalancer.</summary>
    public const string AllowedSourceRangesVariable = "AZURE_WEB_ALLOWED_SOURCE_RANGES";

    /// <summary>Pod Security Standard the namespace enforces, audits and warns on.</summary>
    public const string PodSecurityLevel = "restricted";

    public static string Placeholder(string variable) => $"{{{{.Env.{variable}}}}}";

    private static string EnvName(string resourceName) =>
        resourceName.Replace('-', '_').ToUpperInvariant();
}
