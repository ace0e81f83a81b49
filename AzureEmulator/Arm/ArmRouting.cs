using System.Text.Json;
using System.Text.RegularExpressions;

namespace AzureEmulator.Arm;

/// <summary>
/// A resource type ARM serves and the api-versions it accepts for it. Provider types (a namespace such as
/// Microsoft.Authorization) answer an unknown version with InvalidResourceType, ARM's own types (subscriptions,
/// tenants, metadata) with InvalidApiVersionParameter, as ARM does.
/// </summary>
public sealed record ArmResourceType(string? Namespace, string Name, IReadOnlyList<string> ApiVersions)
{
    public bool Supports(string apiVersion) => ApiVersions.Contains(apiVersion, StringComparer.OrdinalIgnoreCase);
}

/// <summary>What an ARM handler gets: the request, the caller, and what the route captured.</summary>
/// <param name="Scope">The {scope} the path names (the root for routes without one).</param>
/// <param name="Name">The {name} segment, when the template has one.</param>
/// <param name="ApiVersion">The requested api-version, already checked against the resource type, lower-cased.</param>
public sealed record ArmRequest(HttpContext Http, ArmServices Arm, ArmCaller? Caller, ArmScope Scope, string? Name, string ApiVersion)
{
    /// <summary>The authenticated caller; only anonymous routes (cloud metadata) run without one.</summary>
    public ArmCaller Who => Caller ?? throw new InvalidOperationException("This ARM route is anonymous; it has no caller.");

    /// <summary>What ARM checks before it reads a PUT's body: the caller may write here, and the {name} is a GUID.</summary>
    /// <param name="kind">The resource's name in ARM's message, e.g. "role assignment".</param>
    /// <param name="invalidIdCode">ARM's error code for a name that is not a GUID.</param>
    public ArmError? CheckPut(AuthorizationSnapshot state, string writeAction, string resourceId, string kind, string invalidIdCode, out Guid name)
    {
        name = Guid.Empty;
        if (!Rbac.CallerMay(Arm, state, Who, Scope, writeAction))
        {
            return ArmError.AuthorizationFailed(Who, writeAction, resourceId);
        }

        return Guid.TryParse(Name, out name)
            ? null
            : new ArmError(400, invalidIdCode, $"The {kind} ID '{Name}' is not valid. The {kind} ID must be a GUID.");
    }

    /// <summary>Reads the JSON body; one ARM cannot deserialize is its InvalidRequestContent error.</summary>
    public async Task<(T? Body, ArmError? Error)> ReadBodyAsync<T>()
        where T : class
    {
        try
        {
            return (await Http.Request.ReadFromJsonAsync<T>(Arm.Json, Http.RequestAborted), null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return (null, new ArmError(400, "InvalidRequestContent", $"The request content was invalid and could not be deserialized: '{ex.Message}'."));
        }
    }
}

/// <summary>A handler's answer: a result to send, or an ARM error.</summary>
public readonly record struct ArmOutcome(IResult? Success, ArmError? Error)
{
    public static implicit operator ArmOutcome(ArmError error) => new(null, error);

    public static ArmOutcome Ok(IResult result) => new(result, null);
}

public delegate Task<ArmOutcome> ArmHandler(ArmRequest request);

/// <summary>One operation: its SDK name (for counters), method, URL template, resource type and handler.</summary>
/// <param name="Template">Path segments; "{scope}" (first, any depth, validated as an ARM scope) and "{name}" capture, the rest are literals compared without regard to case.</param>
public sealed record ArmRoute(string Operation, string Method, string Template, ArmResourceType Type, ArmHandler Handler, bool Anonymous)
{
    private readonly string[] _segments = Template.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private bool HasScope => _segments.Length > 0 && _segments[0] == "{scope}";

    private string[] Tail => HasScope ? _segments[1..] : _segments;

    /// <summary>Matches path segments; returns the scope and name captured, or false.</summary>
    public bool TryMatch(string[] path, out ArmScope scope, out string? name)
    {
        scope = ArmScope.Root;
        name = null;
        var tail = Tail;
        if (HasScope ? path.Length < tail.Length : path.Length != tail.Length)
        {
            return false;
        }

        var offset = path.Length - tail.Length;
        for (var i = 0; i < tail.Length; i++)
        {
            var segment = path[offset + i];
            if (tail[i] == "{name}")
            {
                name = segment;
            }
            else if (!tail[i].Equals(segment, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return !HasScope || ArmScope.TryParse(string.Join('/', path[..offset]), out scope);
    }
}

/// <summary>
/// ARM's request conventions in one place, so that every operation gets the same tolerance: a path with a doubled
/// or missing leading slash (SDKs send "/{scope}/..." and "{scope}" with or without a slash of its own, the ById
/// operations "/{id}"), any letter case in literal segments, a well-formed api-version that the resource type serves.
/// Adding an operation is one <see cref="Map"/> call.
/// </summary>
public sealed partial class ArmRouteTable
{
    private readonly List<ArmRoute> _routes = [];

    public IReadOnlyList<ArmRoute> Routes => _routes;

    public ArmRouteTable Map(string operation, string method, string template, ArmResourceType type, ArmHandler handler, bool anonymous = false)
    {
        _routes.Add(new ArmRoute(operation, method, template, type, handler, anonymous));
        return this;
    }

    /// <summary>ARM's empty segments carry no meaning: "//subscriptions/x" and "/subscriptions/x/" are "/subscriptions/x".</summary>
    public static string[] Segments(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The route for the path and method; when only the method differs, <paramref name="pathKnown"/> is true.</summary>
    public ArmRouteMatch? Find(string[] path, string method, out bool pathKnown)
    {
        pathKnown = false;
        foreach (var route in _routes)
        {
            if (!route.TryMatch(path, out var scope, out var name))
            {
                continue;
            }

            pathKnown = true;
            if (route.Method.Equals(method, StringComparison.OrdinalIgnoreCase))
            {
                return new ArmRouteMatch(route, scope, name);
            }
        }

        return null;
    }

    /// <summary>
    /// ARM's api-version check: missing → MissingApiVersionParameter; not of the form yyyy-mm-dd[-preview] →
    /// InvalidApiVersionParameter; not served for the type → InvalidResourceType (provider types) or
    /// InvalidApiVersionParameter (ARM's own types), naming the supported versions.
    /// </summary>
    public static ArmError? CheckApiVersion(string? apiVersion, ArmResourceType type)
    {
        var supported = string.Join(",", type.ApiVersions);
        if (string.IsNullOrEmpty(apiVersion))
        {
            return new ArmError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
        }

        if (!ApiVersionFormat().IsMatch(apiVersion) || type.Namespace is null && !type.Supports(apiVersion))
        {
            return new ArmError(400, "InvalidApiVersionParameter", $"The api-version '{apiVersion}' is invalid. The supported versions are '{supported}'.");
        }

        return type.Supports(apiVersion) ? null : new ArmError(400, "InvalidResourceType",
            $"The resource type '{type.Name}' could not be found in the namespace '{type.Namespace}' for api version '{apiVersion}'. The supported api-versions are '{supported}'.");
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(-(preview|alpha|beta|privatepreview))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ApiVersionFormat();
}

public sealed record ArmRouteMatch(ArmRoute Route, ArmScope Scope, string? Name);
