using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Options;
using RoleViewer.Api.Arm;
using RoleViewer.Api.RoleAssignments;
using RoleViewer.Api.Telemetry;

namespace RoleViewer.Api.Extensions;

public static class RoleAssignmentsServiceExtensions
{
    /// <summary>The ARM client and the cached, stale-safe listing of the principal's role assignments.</summary>
    public static IHostApplicationBuilder AddRoleAssignments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ArmOptions>().BindConfiguration(ArmOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<RoleAssignmentsOptions>().BindConfiguration(RoleAssignmentsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ApiTelemetry>();
        builder.Services.AddSingleton(sp =>
        {
            var arm = sp.GetRequiredService<IOptions<ArmOptions>>().Value;
            var options = new RoleAssignmentsClientOptions { Audience = arm.Audience };
            options.Retry.MaxRetries = arm.MaxRetries;
            options.Retry.NetworkTimeout = arm.NetworkTimeout;
            options.RetryPolicy = new BriefRetryPolicy(arm.MaxRetries, arm.MaxRetryAfter);
            if (sp.GetService<HttpPipelineTransport>() is { } transport)
            {
                options.Transport = transport;
            }

            return new RoleAssignmentsClient(arm.Endpoint, sp.GetRequiredService<TokenCredential>(), options);
        });
        builder.Services.AddSingleton<RoleDefinitionCache>();
        builder.Services.AddSingleton<RoleAssignmentsService>();
        return builder;
    }
}
