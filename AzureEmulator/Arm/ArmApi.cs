using System.Globalization;
using AzureEmulator.Faults;

namespace AzureEmulator.Arm;

/// <summary>
/// Azure Resource Manager's front door. Every request goes through ARM's steps in ARM's order — injected faults,
/// authentication, route, api-version, subscription, throttling — before the operation checks RBAC and runs.
/// The operations served are the registrations in <see cref="Operations"/>.
/// </summary>
public static class ArmApi
{
    public static readonly ArmResourceType RoleAssignments = new("Microsoft.Authorization", "roleAssignments", ArmShapes.RoleAssignmentVersions);

    public static readonly ArmResourceType RoleDefinitions = new("Microsoft.Authorization", "roleDefinitions", ArmShapes.RoleDefinitionVersions);

    /// <summary>Every ARM operation the emulator serves. One line per operation; the ById variants of the SDKs send the same URLs.</summary>
    public static ArmRouteTable Operations { get; } = new ArmRouteTable()
        .Map("roleAssignments.list", HttpMethods.Get, "{scope}/providers/Microsoft.Authorization/roleAssignments", RoleAssignments, RoleAssignmentOperations.ListAsync)
        .Map("roleAssignments.get", HttpMethods.Get, "{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", RoleAssignments, RoleAssignmentOperations.GetAsync)
        .Map("roleAssignments.create", HttpMethods.Put, "{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", RoleAssignments, RoleAssignmentOperations.CreateAsync)
        .Map("roleAssignments.delete", HttpMethods.Delete, "{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", RoleAssignments, RoleAssignmentOperations.DeleteAsync)
        .Map("roleDefinitions.list", HttpMethods.Get, "{scope}/providers/Microsoft.Authorization/roleDefinitions", RoleDefinitions, RoleDefinitionOperations.ListAsync)
        .Map("roleDefinitions.get", HttpMethods.Get, "{scope}/providers/Microsoft.Authorization/roleDefinitions/{name}", RoleDefinitions, RoleDefinitionOperations.GetAsync)
        .Map("roleDefinitions.createOrUpdate", HttpMethods.Put, "{scope}/providers/Microsoft.Authorization/roleDefinitions/{name}", RoleDefinitions, RoleDefinitionOperations.CreateOrUpdateAsync)
        .Map("roleDefinitions.delete", HttpMethods.Delete, "{scope}/providers/Microsoft.Authorization/roleDefinitions/{name}", RoleDefinitions, RoleDefinitionOperations.DeleteAsync)
        .Map("permissions.list", HttpMethods.Get, "{scope}/providers/Microsoft.Authorization/permissions", PermissionsApi.Permissions, PermissionsApi.ListAsync)
        .Map("subscriptions.list", HttpMethods.Get, "subscriptions", SubscriptionOperations.Subscriptions, SubscriptionOperations.ListAsync)
        .Map("subscriptions.get", HttpMethods.Get, "subscriptions/{name}", SubscriptionOperations.Subscriptions, SubscriptionOperations.GetAsync)
        .Map("tenants.list", HttpMethods.Get, "tenants", SubscriptionOperations.Tenants, SubscriptionOperations.ListTenantsAsync)
        .Map("metadata.endpoints", HttpMethods.Get, "metadata/endpoints", CloudMetadata.Endpoints, CloudMetadata.GetAsync, anonymous: true);

    public static IEndpointRouteBuilder MapArmApi(this IEndpointRouteBuilder routes)
    {
        // One catch-all below every other route: Entra's and the admin API's literal routes win, and ARM's paths of
        // any depth — "//subscriptions/..." from the SDKs' ById operations included — reach the route table.
        routes.MapMethods("/{**armPath}", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Post, HttpMethods.Patch], HandleAsync)
            .WithTags("ARM")
            .ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> HandleAsync(HttpContext http, ArmServices arm, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid();
        var headers = http.Response.Headers;
        headers["x-ms-request-id"] = requestId.ToString();
        headers["x-ms-correlation-request-id"] = http.Request.Headers["x-ms-correlation-request-id"].FirstOrDefault() ?? requestId.ToString();
        headers["x-ms-routing-request-id"] = $"LOCAL:{arm.Time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}:{requestId}";

        var path = http.Request.Path.Value ?? "/";
        var segments = ArmRouteTable.Segments(path);
        var match = Operations.Find(segments, http.Request.Method, out var pathKnown);
        var operation = match?.Route.Operation ?? "unknown";
        var caller = "anonymous";
        var outcome = await RunAsync();
        arm.Metrics.RecordArmCall(operation, caller, outcome.Error?.Code ?? "success");
        return outcome.Error is { } error ? Render(http, error) : outcome.Success!;

        async Task<ArmOutcome> RunAsync()
        {
            var fault = await arm.Faults.ApplyAsync(FaultTarget.Arm, cancellationToken);
            if (fault.ShouldFail)
            {
                return ArmError.Injected(fault.Status!.Value, fault.RetryAfterSeconds);
            }

            ArmCaller? who = null;
            if (match?.Route.Anonymous != true)
            {
                (who, var authError) = await arm.Bearer.ValidateAsync(http.Request.Headers.Authorization.FirstOrDefault(), arm.Directory.TenantId);
                if (who is null)
                {
                    return authError!;
                }

                caller = who.ObjectId.ToString();
            }

            if (match is null)
            {
                return NotServed(segments, path, http.Request.Method, pathKnown);
            }

            var apiVersion = http.Request.Query["api-version"].FirstOrDefault();
            if (ArmRouteTable.CheckApiVersion(apiVersion, match.Route.Type) is { } versionError)
            {
                return versionError;
            }

            if (match.Scope.SubscriptionId is { } subscription && !arm.Directory.Snapshot().SubscriptionIds.Contains(subscription, StringComparer.OrdinalIgnoreCase))
            {
                return new ArmError(404, "SubscriptionNotFound", $"The subscription '{subscription}' could not be found.");
            }

            if (who is not null && Throttle(http, arm, match.Scope, who) is { } throttled)
            {
                return throttled;
            }

            return await match.Route.Handler(new ArmRequest(http, arm, who, match.Scope, match.Name, apiVersion!.ToLowerInvariant()));
        }
    }

    /// <summary>
    /// ARM's two buckets for a subscription: the caller's own, and the subscription's global one shared by every
    /// principal; each answers with its remaining-requests header. Tenant-level calls have only the caller's bucket.
    /// </summary>
    private static ArmError? Throttle(HttpContext http, ArmServices arm, ArmScope scope, ArmCaller who)
    {
        var kind = http.Request.Method switch
        {
            "PUT" or "PATCH" or "POST" => ArmRequestKind.Write,
            "DELETE" => ArmRequestKind.Delete,
            _ => ArmRequestKind.Read,
        };
        var suffix = kind.ToString().ToLowerInvariant() + "s";
        var bucket = scope.SubscriptionId ?? arm.Directory.TenantId;
        var own = arm.Throttle.TryTake(bucket, who.ObjectId, kind);
        http.Response.Headers[$"x-ms-ratelimit-remaining-{(scope.SubscriptionId is null ? "tenant" : "subscription")}-{suffix}"] = own.Remaining.ToString(CultureInfo.InvariantCulture);
        if (!own.Allowed)
        {
            return ArmError.Throttled(bucket, who.ObjectId, kind, own.RetryAfterSeconds);
        }

        if (scope.SubscriptionId is null)
        {
            return null;
        }

        var global = arm.Throttle.TryTakeGlobal(bucket, kind);
        http.Response.Headers[$"x-ms-ratelimit-remaining-subscription-global-{suffix}"] = global.Remaining.ToString(CultureInfo.InvariantCulture);
        return global.Allowed ? null : ArmError.ThrottledGlobally(bucket, kind, global.RetryAfterSeconds);
    }

    private static ArmError NotServed(string[] segments, string path, string method, bool pathKnown)
    {
        if (pathKnown)
        {
            return new ArmError(405, "MethodNotAllowed", $"The requested resource does not support http method '{method}'.");
        }

        // A Microsoft.Authorization type the emulator does not serve gets ARM's answer for an unknown type.
        for (var i = segments.Length - 3; i >= 0; i--)
        {
            if (segments[i].Equals("providers", StringComparison.OrdinalIgnoreCase) && segments[i + 1].Equals("Microsoft.Authorization", StringComparison.OrdinalIgnoreCase))
            {
                return new ArmError(400, "InvalidResourceType",
                    $"The resource type '{segments[i + 2]}' could not be found in the namespace 'Microsoft.Authorization'. The emulator serves: " +
                    string.Join(", ", Operations.Routes.Select(r => r.Operation)) + ".");
            }
        }

        return new ArmError(404, "InvalidResourceType",
            $"The resource path '{path}' with method {method} is not served here: the emulator implements only " +
            string.Join(", ", Operations.Routes.Select(r => $"{r.Operation} ({r.Method} /{r.Template})")) + ".");
    }

    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<object> Render(HttpContext http, ArmError error)
    {
        if (error.RetryAfterSeconds is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        if (error.Challenge is { } challenge)
        {
            http.Response.Headers.WWWAuthenticate = challenge;
        }

        return TypedResults.Json(error.Body, statusCode: error.Status);
    }
}
