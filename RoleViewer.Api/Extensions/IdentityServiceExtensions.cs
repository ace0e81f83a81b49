using Azure.Core;
using Azure.Core.Pipeline;
using RoleViewer.Api.Identity;

namespace RoleViewer.Api.Extensions;

public static class IdentityServiceExtensions
{
    /// <summary>Key of the raw workload credential; tests replace it with a fake.</summary>
    public const string WorkloadCredentialKey = "workload";

    /// <summary>The one credential of the process, the principal it stands for, and the identity doctor.</summary>
    public static IHostApplicationBuilder AddWorkloadIdentity(this IHostApplicationBuilder builder)
    {
        var settings = WorkloadIdentitySettings.FromConfiguration(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<IdentityState>();
        builder.Services.AddKeyedSingleton<TokenCredential>(WorkloadCredentialKey,
            (sp, _) => WorkloadCredentialFactory.Create(settings, sp.GetService<HttpPipelineTransport>()));
        builder.Services.AddSingleton<TokenCredential>(sp => new RecordingCredential(
            sp.GetRequiredKeyedService<TokenCredential>(WorkloadCredentialKey),
            sp.GetRequiredService<IdentityState>(),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<PrincipalResolver>();
        builder.Services.AddSingleton<FailureContextFactory>();
        builder.Services.AddSingleton<IdentityDoctor>();
        return builder;
    }
}
