var builder = DistributedApplication.CreateBuilder(args);

// Local runs only: stands in for the cluster's OIDC issuer, Entra ID and Azure Resource Manager; the AppHost
// plays the workload-identity webhook (see LocalAzureEmulator.cs).
var emulator = builder.ExecutionContext.IsRunMode ? builder.AddLocalAzureEmulator() : null;

var api = builder.AddProject<Projects.RoleViewer_Api>("api")
    .WithHttpHealthCheck("/health");

var web = builder.AddProject<Projects.RoleViewer_Web>("web")
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health")
    .WithReference(api)
    .WaitFor(api);

if (emulator is not null)
{
    api.WithWorkloadIdentity(emulator);
    web.WithEmulatorEndpoint(emulator);
}

// Publish mode only: writes azd's Kubernetes manifests to infra/k8s (see README.md, "Deploy to Azure").
builder.AddKubernetesManifests();

builder.Build().Run();
