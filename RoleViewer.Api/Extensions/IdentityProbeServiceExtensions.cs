using Azure.Core;
using Azure.Core.Pipeline;
using RoleViewer.Api.Identity;

namespace RoleViewer.Api.Extensions;

public static class IdentityProbeServiceExtensions
{
    /// <summary>The doctor's fresh token exchange, with a new credential per probe built exactly like the process's one.</summary>
    public static IHostApplicationBuilder AddIdentityProbe(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddKeyedSingleton<Func<TokenCredential>>(IdentityProbe.CredentialFactoryKey, (sp, _) =>
        {
            var settings = sp.GetRequiredService<WorkloadIdentitySettings>();
            var transport = sp.GetService<HttpPipelineTransport>();
            return () => WorkloadCredentialFactory.Create(settings, transport);
        });
        builder.Services.AddSingleton<IdentityProbe>();
        builder.Services.AddSingleton<IdentityReportCache>();
        return builder;
    }
}
