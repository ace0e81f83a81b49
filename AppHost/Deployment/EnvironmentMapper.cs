using System.Globalization;
using Aspire.Hosting.ApplicationModel;

namespace RoleViewer.AppHost.Deployment;

/// <summary>
/// Turns the publish-mode environment of a resource into literal values for the cluster, where every
/// resource is reached through a Kubernetes Service named after it (<c>http://api:8080</c>).
/// </summary>
internal static class EnvironmentMapper
{
    // Aspire sets it in publish mode for proxies that terminate TLS. In the cluster the web LoadBalancer is L4:
    // no proxy adds X-Forwarded-*, so honouring them would let any client pick its own address and scheme.
    private static readonly HashSet<string> Dropped = new(StringComparer.Ordinal) { "ASPNETCORE_FORWARDEDHEADERS_ENABLED" };

    public static async Task<IReadOnlyList<KeyValuePair<string, string>>> MapAsync(
        IResource resource, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, object>();
        if (resource.TryGetAnnotationsOfType<EnvironmentCallbackAnnotation>(out var callbacks))
        {
            var context = new EnvironmentCallbackContext(executionContext, resource, values, cancellationToken);
            foreach (var callback in callbacks)
            {
                await callback.Callback(context).ConfigureAwait(false);
            }
        }

        var mapped = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in values.Where(v => !Dropped.Contains(v.Key)))
        {
            // Null means "refers to an https endpoint": Services in the cluster are plain http, and a
            // services__api__https__0 entry would make service discovery try TLS against an http port.
            if (Map(resource, name, value) is { } text)
            {
                mapped.Add(new(name, text));
            }
        }

        return mapped;
    }

    private static string? Map(IResource resource, string name, object value) => value switch
    {
        string text => text,
        EndpointReference endpoint => IsHttp(endpoint) ? Url(endpoint) : null,
        EndpointReferenceExpression expression => IsHttp(expression.Endpoint) ? Property(resource, name, expression) : null,
        ReferenceExpression expression => Format(resource, name, expression),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => throw Unsupported(resource, name, value),
    };

    private static string? Format(IResource resource, string name, ReferenceExpression expression)
    {
        if (expression.IsConditional)
        {
            throw Unsupported(resource, name, expression);
        }

        var arguments = new object[expression.ValueProviders.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            if (Map(resource, name, expression.ValueProviders[i]) is not { } argument)
            {
                return null;
            }

            arguments[i] = argument;
        }

        return string.Format(CultureInfo.InvariantCulture, expression.Format, arguments);
    }

    private static string Property(IResource resource, string name, EndpointReferenceExpression expression) =>
        expression.Property switch
        {
            EndpointProperty.Url => Url(expression.Endpoint),
            EndpointProperty.Host => expression.Endpoint.Resource.Name,
            EndpointProperty.HostAndPort => $"{expression.Endpoint.Resource.Name}:{Port(expression.Endpoint)}",
            EndpointProperty.Port or EndpointProperty.TargetPort => Port(expression.Endpoint).ToString(CultureInfo.InvariantCulture),
            EndpointProperty.Scheme => expression.Endpoint.Scheme,
            _ => throw Unsupported(resource, name, expression),
        };

    private static bool IsHttp(EndpointReference endpoint) => endpoint.Scheme == "http";

    private static string Url(EndpointReference endpoint) =>
        $"http://{endpoint.Resource.Name}:{Port(endpoint)}";

    // Container port and Service port are the same, so in-cluster URLs work with either.
    internal static int Port(EndpointReference endpoint) =>
        endpoint.EndpointAnnotation.TargetPort ?? DeploymentConventions.DefaultHttpPort;

    private static InvalidOperationException Unsupported(IResource resource, string name, object value) =>
        new($"Environment variable '{name}' of resource '{resource.Name}' has a value of type {value.GetType().Name} " +
            $"({(value as IManifestExpressionProvider)?.ValueExpression ?? value.ToString()}) that the Kubernetes manifest " +
            "generator cannot turn into a literal. Set it only in run mode (builder.ExecutionContext.IsRunMode) or " +
            "teach AppHost/Deployment/EnvironmentMapper.cs how to map it.");
}
