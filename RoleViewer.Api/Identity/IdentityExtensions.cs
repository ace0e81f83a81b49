using Azure.Core;
using Azure.Core.Pipeline;

namespace RoleViewer.Api.Identity;

public static class IdentityExtensions
{
    /// <summary>Key of the raw workload credential; tests replace it with a fake.</summary>
    public const string WorkloadCredentialKey = "workload";

    /// <summary>The one credential of the process, the principal it stands for, and the translation of its failures into fixes.</summary>
    public static IHostApplicationBuilder AddIdentity(this IHostApplicationBuilder builder)
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
        return builder;
    }
}
