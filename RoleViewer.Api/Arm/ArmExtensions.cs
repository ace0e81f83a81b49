using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Options;
using RoleViewer.Api.Common;

namespace RoleViewer.Api.Arm;

public static class ArmExtensions
{
    /// <summary>Where ARM is (<see cref="ArmEndpoint"/>) and the one client that calls it as the process's identity.</summary>
    public static IHostApplicationBuilder AddArm(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ArmOptions>().BindConfiguration(ArmOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => ArmEndpoint.From(sp.GetRequiredService<IOptions<ArmOptions>>().Value));
        builder.Services.AddSingleton(sp =>
        {
            var arm = sp.GetRequiredService<IOptions<ArmOptions>>().Value;
            var options = new ArmClientOptions();
            options.Retry.MaxRetries = arm.MaxRetries;
            options.Retry.NetworkTimeout = arm.NetworkTimeout;
            options.RetryPolicy = new BriefRetryPolicy(arm.MaxRetries, arm.MaxRetryAfter);
            options.AddPolicy(new ArmCallCounter(sp.GetRequiredService<ApiTelemetry>()), HttpPipelinePosition.PerCall);
            if (sp.GetService<HttpPipelineTransport>() is { } transport)
            {
                options.Transport = transport;
            }

            return new ArmClient(sp.GetRequiredService<ArmEndpoint>(), sp.GetRequiredService<TokenCredential>(), options);
        });
        return builder;
    }
}
