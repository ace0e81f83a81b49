var builder = DistributedApplication.CreateBuilder(args);

// --RealCluster:TokenFile=… (run mode): the api runs against real Entra ID and ARM with a token from a real cluster.
var realCluster = builder.ExecutionContext.IsRunMode ? RealCluster.Read(builder.Configuration) : null;

// Local runs only: stands in for the cluster's OIDC issuer, Entra ID and Azure Resource Manager; the AppHost
// plays the workload-identity webhook (see LocalAzureEmulator.cs).
var emulator = builder.ExecutionContext.IsRunMode && realCluster is null ? builder.AddLocalAzureEmulator() : null;

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

if (realCluster is not null)
{
    api.WithRealClusterIdentity(realCluster);
}

// Publish mode only: writes azd's Kubernetes manifests to infra/k8s (see README.md, "Deploy to Azure").
builder.AddKubernetesManifests();

builder.Build().Run();
