using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace RoleViewer.Api.Arm;

/// <summary>
/// Reads Microsoft.Authorization role assignments and role definitions from ARM. Shaped like an Azure SDK client
/// (Azure.ResourceManager.Authorization is not served on our feed): Azure.Core pipeline, bearer token policy, retries that honour
/// Retry-After, <see cref="RequestFailedException"/> on errors, pageables that follow nextLink.
/// </summary>
public sealed class ArmClient
{
    private const string RoleAssignmentsList = "roleAssignments.list";
    private const string RoleDefinitionsList = "roleDefinitions.list";
    private const string RoleDefinitionsGet = "roleDefinitions.get";

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly string _apiVersion;

    public ArmClient(ArmEndpoint arm, TokenCredential credential, ArmClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(arm);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new ArmClientOptions();
        _endpoint = arm.Uri;
        _apiVersion = options.Version;
        _pipeline = HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, arm.DefaultScope));
    }

    /// <summary>Lists role assignments at <paramref name="scope"/>, all pages, e.g. with filter assignedTo('{objectId}').</summary>
    public AsyncPageable<RoleAssignmentData> GetRoleAssignmentsAsync(string scope, string? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        var first = new RequestUriBuilder();
        first.Reset(_endpoint);
        first.AppendPath("/" + scope.Trim('/') + "/providers/Microsoft.Authorization/roleAssignments", escape: false);
        first.AppendQuery("api-version", _apiVersion);
        if (filter is not null)
        {
            first.AppendQuery("$filter", filter);
        }

        return new ArmPageable<RoleAssignmentData>(this, RoleAssignmentsList, first.ToUri(), ArmJsonContext.Default.ArmListResultRoleAssignmentData, cancellationToken);
    }

    /// <summary>Lists role definitions at <paramref name="scope"/> ("/" for the tenant), all pages, e.g. with filter type eq 'BuiltInRole'.</summary>
    public AsyncPageable<RoleDefinitionData> GetRoleDefinitionsAsync(string scope, string? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var first = new RequestUriBuilder();
        first.Reset(_endpoint);
        var prefix = scope.Trim('/');
        first.AppendPath((prefix.Length == 0 ? "" : "/" + prefix) + "/providers/Microsoft.Authorization/roleDefinitions", escape: false);
        first.AppendQuery("api-version", _apiVersion);
        if (filter is not null)
        {
            first.AppendQuery("$filter", filter);
        }

        return new ArmPageable<RoleDefinitionData>(this, RoleDefinitionsList, first.ToUri(), ArmJsonContext.Default.ArmListResultRoleDefinitionData, cancellationToken);
    }

    /// <summary>Gets a role definition by its full id (/subscriptions/…/roleDefinitions/{guid} or /providers/…).</summary>
    public async Task<Response<RoleDefinitionData>> GetRoleDefinitionByIdAsync(string roleDefinitionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(roleDefinitionId);
        var uri = new RequestUriBuilder();
        uri.Reset(_endpoint);
        uri.AppendPath("/" + roleDefinitionId.TrimStart('/'), escape: false);
        uri.AppendQuery("api-version", _apiVersion);
        var response = await SendAsync(uri.ToUri(), RoleDefinitionsGet, cancellationToken);
        var value = JsonSerializer.Deserialize(response.Content.ToStream(), ArmJsonContext.Default.RoleDefinitionData)
            ?? throw new RequestFailedException(response);
        return Response.FromValue(value, response);
    }

    /// <summary>Sends a GET; <paramref name="operation"/> names the ARM operation it starts (null for a listing's next page), for <see cref="ArmCallCounter"/>.</summary>
    private async Task<Response> SendAsync(Uri uri, string? operation, CancellationToken cancellationToken)
    {
        // Not disposed: the response is buffered (no connection held) and is handed to the caller.
        var message = _pipeline.CreateMessage();
        if (operation is not null)
        {
            message.SetProperty(ArmCallCounter.OperationProperty, operation);
        }

        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.Add("Accept", "application/json");
        await _pipeline.SendAsync(message, cancellationToken);
        if (message.Response.IsError)
        {
            throw new RequestFailedException(message.Response);
        }

        return message.Response;
    }

    /// <summary>A nextLink, if it points at this client's ARM endpoint (scheme, host and port); else a refusal.</summary>
    internal Uri OwnLink(string link)
    {
        if (Uri.TryCreate(link, UriKind.Absolute, out var uri)
            && uri.Scheme == _endpoint.Scheme
            && string.Equals(uri.IdnHost, _endpoint.IdnHost, StringComparison.OrdinalIgnoreCase)
            && uri.Port == _endpoint.Port
            && string.IsNullOrEmpty(uri.UserInfo))
        {
            return uri;
        }

        throw new RequestFailedException(0, $"ARM returned a nextLink outside its endpoint {_endpoint.GetLeftPart(UriPartial.Authority)}; it was not followed " +
            "so that the access token is never sent elsewhere.", "UntrustedNextLink", null);
    }

    private sealed class ArmPageable<T>(ArmClient client, string operation, Uri first, JsonTypeInfo<ArmListResult<T>> typeInfo, CancellationToken cancellationToken)
        : AsyncPageable<T>(cancellationToken) where T : notnull
    {
        public override async IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
        {
            // ARM's nextLink is absolute and already carries api-version, $filter and $skipToken: follow it as is,
            // but only to ARM itself, since the pipeline attaches the bearer token to whatever URL it is given.
            var next = continuationToken is null ? first : client.OwnLink(continuationToken);
            // The operation is counted once, at its first page; a continuation resumes one already counted.
            var starting = continuationToken is null ? operation : null;
            while (next is not null)
            {
                var response = await client.SendAsync(next, starting, CancellationToken);
                starting = null;
                var page = JsonSerializer.Deserialize(response.Content.ToStream(), typeInfo) ?? throw new RequestFailedException(response);
                next = string.IsNullOrEmpty(page.NextLink) ? null : client.OwnLink(page.NextLink);
                yield return Page<T>.FromValues(page.Value ?? [], next?.AbsoluteUri, response);
            }
        }
    }
}
