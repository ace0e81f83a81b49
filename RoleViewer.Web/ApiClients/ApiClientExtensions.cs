using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace RoleViewer.Web.ApiClients;

public static class ApiClientExtensions
{
    public static IHostApplicationBuilder AddRoleViewerApiClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiOptions>()
            .BindConfiguration(ApiOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

#pragma warning disable EXTEXP0001 // Experimental, but the only way to replace the ServiceDefaults handler for one client.
        builder.Services.AddHttpClient<RoleViewerApiClient>((services, client) =>
                client.BaseAddress = services.GetRequiredService<IOptions<ApiOptions>>().Value.BaseAddress)
            // The default standard handler retries for up to 30 s; a page that waits that long looks dead.
            // One quick retry, then the page shows its banner and the live refresh retries later.
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.MaxRetryAttempts = 1;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                // A 429 is the Api's refresh rate limit: the loader falls back to the cached list at once. Retrying would
                // wait out Retry-After (5 s) past the time budget and turn it into a false "API did not answer".
                resilience.Retry.ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests && HttpClientResiliencePredicates.IsTransient(args.Outcome));
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(3);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(5);
            });
#pragma warning restore EXTEXP0001

        return builder;
    }
}
