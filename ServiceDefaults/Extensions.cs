using System.Diagnostics;
using System.Globalization;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

// Adds common Aspire services: service discovery, resilience, health checks, and OpenTelemetry.
// After the Aspire service-defaults template, with three changes: health endpoints are mapped in every
// environment (kubelet probes run in Production), the Azure SDK's activity sources are traced (HttpClient's
// duplicate of each Azure.Core HTTP span is not), and traces are sampled outside Development.
// To learn more about using this project, see https://aka.ms/dotnet/aspire/service-defaults
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Activity sources of the Azure SDK (Azure.Core HTTP, Azure.Identity, clients built on Azure.Core).</summary>
    public const string AzureSdkActivitySources = "Azure.*";

    /// <summary>Azure.Core's span for each HTTP attempt; HttpClient's own span under it would say the same again.</summary>
    public const string AzureCoreHttpActivitySource = "Azure.Core.Http";

    /// <summary>Share of new traces recorded outside Development (a parent's decision is always followed).</summary>
    public const string TraceSampleRatioKey = "OpenTelemetry:Tracing:SampleRatio";

    /// <summary>The default of <see cref="TraceSampleRatioKey"/> outside Development: every tenth trace.</summary>
    public const double ProductionTraceSampleRatio = 0.1;

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();

        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();

        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Turn on resilience by default
            http.AddStandardResilienceHandler();

            // Turn on service discovery by default
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(builder.Environment.ApplicationName);
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(builder.Environment.ApplicationName)
                    .AddSource(AzureSdkActivitySources)
                    .AddAspNetCoreInstrumentation(tracing =>
                        // Probes would otherwise flood the traces every few seconds.
                        tracing.Filter = context =>
                            !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                            && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath)
                    )
                    .AddHttpClientInstrumentation(http =>
                        // Azure.Core already traces each attempt with the Azure attributes (request id, retries).
                        http.FilterHttpRequestMessage = _ => !IsUnderAzureCoreHttp(Activity.Current));
                if (TraceSampler(builder) is { } sampler)
                {
                    tracing.SetSampler(sampler);
                }
            });

        builder.AddOpenTelemetryExporters();

        return builder;
    }

    /// <summary>
    /// Null keeps the sampler someone else chose: Azure Monitor's (rate-limited, 5 traces/s by default, set with
    /// OTEL_TRACES_SAMPLER=microsoft.rate_limited and OTEL_TRACES_SAMPLER_ARG) or the standard OTEL_TRACES_SAMPLER.
    /// Otherwise every trace in Development (the AppHost's dashboard shows everything) and a parent-based ratio
    /// elsewhere, so a busy pod does not spend its CPU on spans nobody reads.
    /// </summary>
    public static Sampler? TraceSampler(IHostApplicationBuilder builder)
    {
        if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"])
            || !string.IsNullOrEmpty(builder.Configuration["OTEL_TRACES_SAMPLER"]))
        {
            return null;
        }

        var configured = builder.Configuration[TraceSampleRatioKey];
        var ratio = configured is null
            ? builder.Environment.IsDevelopment() ? 1.0 : ProductionTraceSampleRatio
            : double.TryParse(configured, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1
                ? value
                : throw new InvalidOperationException(
                    $"{TraceSampleRatioKey} is '{configured}': set it to a number from 0 (no new traces) to 1 (every trace), e.g. 0.1.");
        return ratio >= 1 ? new AlwaysOnSampler() : new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio));
    }

    /// <summary>True for HttpClient's activity of a request Azure.Core sends (its parent is Azure.Core's HTTP span).</summary>
    public static bool IsUnderAzureCoreHttp(Activity? activity) =>
        activity?.Source.Name == AzureCoreHttpActivitySource || activity?.Parent?.Source.Name == AzureCoreHttpActivitySource;

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            // Application Insights in RoleViewer's Azure deployment has local (key) authentication disabled,
            // so telemetry is sent with the pod's workload identity when the webhook has projected one.
            builder.Services.AddOpenTelemetry().UseAzureMonitor(options =>
            {
                if (!string.IsNullOrEmpty(builder.Configuration["AZURE_FEDERATED_TOKEN_FILE"]))
                {
                    options.Credential = new WorkloadIdentityCredential();
                }
            });
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            // Liveness checks only the process itself: a dependency outage must not restart pods.
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Readiness: every registered check. Liveness: only those tagged "live".
        // Both are mapped in all environments because Kubernetes probes call them in Production.
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live")
        });

        return app;
    }
}
