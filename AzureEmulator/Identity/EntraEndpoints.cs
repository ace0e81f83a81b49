using System.Diagnostics;
using AzureEmulator.Diagnostics;
using AzureEmulator.Faults;
using AzureEmulator.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AzureEmulator.Identity;

/// <summary>Entra's endpoints (token, OpenID metadata, keys, instance discovery) and the cluster's OIDC issuer.</summary>
public static class EntraEndpoints
{
    /// <summary>An assertion is ~1–2 KB; the limit keeps garbage from costing memory.</summary>
    public const long MaxTokenRequestBytes = 64 * 1024;

    private static readonly string[] IdTokenResponseType = ["id_token"];
    private static readonly string[] PublicSubjectType = ["public"];
    private static readonly string[] PairwiseSubjectType = ["pairwise"];
    private static readonly string[] Rs256 = ["RS256"];
    private static readonly string[] AuthMethods = ["client_secret_post", "private_key_jwt", "client_secret_basic"];
    private static readonly string[] ResponseModes = ["query", "fragment", "form_post"];
    private static readonly string[] ResponseTypes = ["code", "id_token", "code id_token", "id_token token"];
    private static readonly string[] Scopes = ["openid", "profile", "email", "offline_access"];

    public static IEndpointRouteBuilder MapClusterIssuer(this IEndpointRouteBuilder routes)
    {
        var cluster = routes.MapGroup(ClusterIssuer.PathPrefix + "/{clusterId}").WithTags("Cluster OIDC issuer");
        cluster.MapGet("/.well-known/openid-configuration", (string clusterId, ClusterIssuer issuer) =>
            IsThisCluster(clusterId, issuer)
                ? Results.Json(new
                {
                    issuer = issuer.Issuer,
                    jwks_uri = issuer.Issuer + "openid/v1/jwks",
                    response_types_supported = IdTokenResponseType,
                    subject_types_supported = PublicSubjectType,
                    id_token_signing_alg_values_supported = Rs256,
                })
                : UnknownCluster(clusterId, issuer));
        cluster.MapGet("/openid/v1/jwks", (string clusterId, ClusterIssuer issuer) =>
            IsThisCluster(clusterId, issuer) ? Results.Json(issuer.Jwks) : UnknownCluster(clusterId, issuer));
        return routes;
    }

    public static IEndpointRouteBuilder MapEntraEndpoints(this IEndpointRouteBuilder routes)
    {
        var entra = routes.MapGroup("").WithTags("Entra ID");
        entra.MapPost("/{tenant}/oauth2/v2.0/token", TokenAsync).DisableAntiforgery();
        entra.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", OpenIdConfiguration);
        entra.MapGet("/{tenant}/discovery/v2.0/keys", (EntraSigningKeys keys) => Results.Json(keys.Jwks));
        entra.MapGet("/{tenant}/discovery/keys", (EntraSigningKeys keys) => Results.Json(keys.Jwks));
        entra.MapGet("/common/discovery/instance", InstanceDiscovery);
        return routes;
    }

    private static async Task TokenAsync(
        HttpContext context, string tenant, TokenExchange exchange, DirectoryStore directory, FaultInjector faults, EmulatorMetrics metrics, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(EntraEndpoints));
        var (form, formError) = await ReadFormAsync(context);
        // Counters and metric tags name only registered clients: anything else would let garbage grow them without bound.
        var clientId = string.IsNullOrEmpty(form?.ClientId) ? "(none)"
            : directory.FindByClientId(form.ClientId)?.ClientId ?? "(unregistered)";

        var decision = await faults.ApplyAsync(FaultTarget.Token, context.RequestAborted);
        if (decision.ShouldFail)
        {
            context.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteErrorAsync(context, EntraError.Injected(decision.Status!.Value), time, metrics, clientId, logger);
            return;
        }

        if (formError is not null)
        {
            await WriteErrorAsync(context, formError, time, metrics, clientId, logger);
            return;
        }

        var (response, error) = await exchange.ExchangeAsync(tenant, form!);
        if (error is not null)
        {
            await WriteErrorAsync(context, error, time, metrics, clientId, logger);
            return;
        }

        metrics.RecordTokenExchange(clientId, "success");
        IdentityLog.TokenIssued(logger, clientId, form!.Scope);
        SetNoCacheHeaders(context);
        await context.Response.WriteAsJsonAsync(response, context.RequestAborted);
    }

    private static async Task<(TokenRequestForm? Form, EntraError? Error)> ReadFormAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxTokenRequestBytes)
        {
            return (null, EntraError.BodyTooLarge(MaxTokenRequestBytes));
        }

        // Entra reads only url-encoded forms; anything else looks like a body without grant_type.
        if (!context.Request.HasFormContentType || context.Request.ContentType!.Contains("multipart", StringComparison.OrdinalIgnoreCase))
        {
            return (new TokenRequestForm(null, null, null, null, null), EntraError.MissingParameter("grant_type"));
        }

        try
        {
            // Limits sized for a token request; larger values fail fast instead of costing memory.
            var reader = new FormFeature(context.Request, new FormOptions
            {
                ValueLengthLimit = (int)MaxTokenRequestBytes,
                KeyLengthLimit = 1024,
                ValueCountLimit = 256,
                BufferBodyLengthLimit = MaxTokenRequestBytes,
            });
            var form = await reader.ReadFormAsync(context.RequestAborted);
            string? Field(string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;
            return (new TokenRequestForm(Field("grant_type"), Field("client_id"), Field("client_assertion_type"), Field("client_assertion"), Field("scope"), Field("client_secret")), null);
        }
        catch (InvalidDataException)
        {
            return (null, EntraError.BodyTooLarge(MaxTokenRequestBytes));
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException or FormatException)
        {
            return (null, EntraError.UnreadableBody(ex.GetType().Name));
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, EntraError error, TimeProvider time, EmulatorMetrics metrics, string clientId, ILogger logger)
    {
        metrics.RecordTokenExchange(clientId, error.Outcome);
        var traceId = Activity.Current?.TraceId.ToString() is { } trace ? Guid.ParseExact(trace, "N").ToString() : Guid.NewGuid().ToString();
        var correlationId = Guid.TryParse(context.Request.Headers["client-request-id"], out var requestId) ? requestId.ToString() : Guid.NewGuid().ToString();
        var body = error.ToBody(time.GetUtcNow(), traceId, correlationId);
        IdentityLog.TokenRefused(logger, clientId, body.ErrorDescription);
        SetNoCacheHeaders(context);
        context.Response.StatusCode = error.Status;
        await context.Response.WriteAsJsonAsync(body, context.RequestAborted);
    }

    private static void SetNoCacheHeaders(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store, no-cache";
        context.Response.Headers.Pragma = "no-cache";
        if (Guid.TryParse(context.Request.Headers["client-request-id"], out var requestId))
        {
            context.Response.Headers["client-request-id"] = requestId.ToString();
        }
    }

    private static IResult OpenIdConfiguration(string tenant, DirectoryStore directory, EmulatorOrigin origin, TimeProvider time)
    {
        if (!directory.IsKnownTenant(tenant))
        {
            var error = EntraError.TenantNotFound(tenant) with { Error = "invalid_tenant" };
            return Results.Json(error.ToBody(time.GetUtcNow(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString()), statusCode: 400);
        }

        // msal-node requires issuer on the same origin as the authority.
        var baseUrl = $"{origin}/{tenant}";
        return Results.Json(new
        {
            token_endpoint = $"{baseUrl}/oauth2/v2.0/token",
            token_endpoint_auth_methods_supported = AuthMethods,
            jwks_uri = $"{baseUrl}/discovery/v2.0/keys",
            response_modes_supported = ResponseModes,
            subject_types_supported = PairwiseSubjectType,
            id_token_signing_alg_values_supported = Rs256,
            response_types_supported = ResponseTypes,
            scopes_supported = Scopes,
            issuer = $"{baseUrl}/v2.0",
            request_uri_parameter_supported = false,
            authorization_endpoint = $"{baseUrl}/oauth2/v2.0/authorize",
            device_authorization_endpoint = $"{baseUrl}/oauth2/v2.0/devicecode",
            end_session_endpoint = $"{baseUrl}/oauth2/v2.0/logout",
            tenant_region_scope = "EU",
            cloud_instance_name = "microsoftonline.com",
        });
    }

    /// <summary>MSAL.NET asks this of the host it trusts; a 200 with the emulator as its own alias lets it continue.</summary>
    private static IResult InstanceDiscovery(EmulatorOrigin origin, DirectoryStore directory)
    {
        var host = origin.Value.Authority;
        return Results.Json(new Dictionary<string, object>
        {
            ["tenant_discovery_endpoint"] = $"{origin}/{directory.TenantId}/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new[] { new { preferred_network = host, preferred_cache = host, aliases = new[] { host } } },
        });
    }

    private static bool IsThisCluster(string clusterId, ClusterIssuer issuer) => issuer.Issuer.EndsWith($"/{clusterId}/", StringComparison.Ordinal);

    private static ProblemHttpResult UnknownCluster(string clusterId, ClusterIssuer issuer) => TypedResults.Problem(
        title: "Unknown cluster",
        detail: $"'{clusterId}' is not this emulator's cluster; its issuer is {issuer.Issuer}.",
        statusCode: StatusCodes.Status404NotFound);
}
