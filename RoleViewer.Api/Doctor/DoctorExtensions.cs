using Azure.Core;
using Azure.Core.Pipeline;
using RoleViewer.Api.Identity;

namespace RoleViewer.Api.Doctor;

public static class DoctorExtensions
{
    /// <summary>
    /// The identity doctor behind GET /api/identity: its report cache, the fresh token exchange (the probe, with a new
    /// credential per probe built exactly like the process's one) and the built-in role advice for ARM's refusals.
    /// </summary>
    public static IHostApplicationBuilder AddDoctor(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddKeyedSingleton<Func<TokenCredential>>(IdentityProbe.CredentialFactoryKey, (sp, _) =>
        {
            var settings = sp.GetRequiredService<WorkloadIdentitySettings>();
            var transport = sp.GetService<HttpPipelineTransport>();
            return () => WorkloadCredentialFactory.Create(settings, transport);
        });
        builder.Services.AddSingleton<IdentityProbe>();
        builder.Services.AddSingleton<BuiltInRoleAdvisor>();
        builder.Services.AddSingleton<IdentityDoctor>();
        builder.Services.AddSingleton<IdentityReportCache>();
        return builder;
    }
}
