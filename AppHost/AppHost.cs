var builder = DistributedApplication.CreateBuilder(args);

// Local runs only: stands in for the cluster's OIDC issuer, Entra ID and Azure Resource Manager.
IResourceBuilder<ProjectResource>? emulator = builder.ExecutionContext.IsRunMode
    ? builder.AddProject<Projects.AzureEmulator>("emulator").WithHttpHealthCheck("/health")
    : null;

var api = builder.AddProject<Projects.RoleViewer_Api>("api")
    .WithHttpHealthCheck("/health");

if (emulator is not null)
{
    api.WaitFor(emulator);
}

builder.AddProject<Projects.RoleViewer_Web>("web")
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(api)
    .WaitFor(api);

// Publish mode only: writes azd's Kubernetes manifests to infra/k8s (see docs/deploy.md).
builder.AddKubernetesManifests();

builder.Build().Run();
