using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Polly;

namespace RoleViewer.Web.ApiClients;

/// <summary>Typed client for RoleViewer.Api, reached through service discovery. Never throws for Api failures:
/// the page must render whatever the Api does, so every failure becomes an <see cref="ApiFailure"/>.
/// Failure texts name no address and quote no exception: those go to the log, which the page points at.</summary>
public sealed partial class RoleViewerApiClient(HttpClient http, IOptions<ApiOptions> options, ILogger<RoleViewerApiClient> logger)
{
    public Task<ApiResult<RoleAssignmentsResponse>> GetRoleAssignmentsAsync(bool refresh = false, CancellationToken cancellationToken = default) =>
        GetAsync<RoleAssignmentsResponse>(refresh ? "/api/role-assignments?refresh=true" : "/api/role-assignments", cancellationToken);

    /// <param name="probe">Have the Api's doctor verify the federation with a fresh token exchange now (rate-limited by the Api).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ApiResult<IdentityReport>> GetIdentityAsync(bool probe = false, CancellationToken cancellationToken = default) =>
        GetAsync<IdentityReport>(probe ? "/api/identity?probe=true" : "/api/identity", cancellationToken);

    public Task<ApiResult<PodFacts>> GetPodAsync(CancellationToken cancellationToken = default) =>
        GetAsync<PodFacts>("/api/pod", cancellationToken);

    /// <param name="scope">A subscription, resource group or resource id; null for the identity's subscription.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ApiResult<EffectivePermissionsResponse>> GetPermissionsAsync(string? scope, CancellationToken cancellationToken = default) =>
        GetAsync<EffectivePermissionsResponse>(QueryHelpers.AddQueryString("/api/permissions", Query(("scope", scope))), cancellationToken);

    public Task<ApiResult<PermissionCheckResponse>> CheckPermissionAsync(string action, string? scope, string? kind, CancellationToken cancellationToken = default) =>
        GetAsync<PermissionCheckResponse>(QueryHelpers.AddQueryString("/api/permissions/check", Query(("action", action), ("scope", scope), ("kind", kind))), cancellationToken);

    private static Dictionary<string, string?> Query(params (string Key, string? Value)[] pairs) =>
        pairs.Where(p => !string.IsNullOrWhiteSpace(p.Value)).ToDictionary(p => p.Key, p => p.Value);

    private async Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken) where T : class
    {
        var budget = options.Value.Timeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(budget);
        try
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                var value = await response.Content.ReadFromJsonAsync<T>(ContractsJsonContext.Default.Options, timeout.Token);
                return value is null
                    ? ApiResult.Fail<T>(BadResponse(path, "an empty body"))
                    : ApiResult.Ok(value);
            }

            return ApiResult.Fail<T>(await ReadProblemAsync(path, response, timeout.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ApiResult.Fail<T>(new ApiFailure(ApiFailureKind.Timeout,
                $"The RoleViewer API did not answer {path} within {budget.TotalSeconds:0.#} s.",
                "It is starting, overloaded or hanging: check the api resource's logs and traces in the Aspire dashboard (or `kubectl logs deploy/api`)."));
        }
        catch (Exception ex) when (ex is HttpRequestException or ExecutionRejectedException)
        {
            LogUnreachable(logger, path, ex);
            return ApiResult.Fail<T>(new ApiFailure(ApiFailureKind.Unreachable,
                "The RoleViewer API is unreachable.",
                "Check that the api resource is running and healthy (Aspire dashboard, or `kubectl get pods -l app=api`)."));
        }
        catch (JsonException ex)
        {
            LogBadJson(logger, path, ex);
            return ApiResult.Fail<T>(BadResponse(path, "JSON that does not match the contract"));
        }
    }

    private static async Task<ApiFailure> ReadProblemAsync(string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is MediaTypeHeaderValue { MediaType: "application/problem+json" or "application/json" })
        {
            try
            {
                var problem = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.ApiProblem, cancellationToken);
                if (problem is not null)
                {
                    return new ApiFailure(ApiFailureKind.Problem,
                        problem.Title ?? $"The RoleViewer API answered {status}.",
                        FixPart(problem.Detail) ?? problem.Detail ?? "See the api resource's logs for the trace id below.",
                        status, problem, response.Headers.RetryAfter?.Delta);
                }
            }
            catch (JsonException)
            {
                // Not a problem document after all: fall through to the generic message.
            }
        }

        return status >= 500
            ? new ApiFailure(ApiFailureKind.Unreachable,
                $"The RoleViewer API answered {path} with HTTP {status} and no explanation.",
                "The api resource may be crashing or a proxy in front of it failed: check its logs.", status)
            : BadResponse(path, $"HTTP {status}");
    }

    private static ApiFailure BadResponse(string path, string what) =>
        new(ApiFailureKind.BadResponse,
            $"The RoleViewer API answered {path} with {what}.",
            "The web and api versions probably disagree on the contract: deploy them together.");

    // The Api's detail is "<upstream message> Fix: <fix>"; the upstream message may quote exceptions and addresses.
    private static string? FixPart(string? detail) =>
        detail?.IndexOf(" Fix: ", StringComparison.Ordinal) is >= 0 and var at ? detail[(at + " Fix: ".Length)..] : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The RoleViewer API did not answer {Path}")]
    private static partial void LogUnreachable(ILogger logger, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The RoleViewer API answered {Path} with JSON that does not match the contract")]
    private static partial void LogBadJson(ILogger logger, string path, Exception exception);
}
