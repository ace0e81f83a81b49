extern alias web;

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using web::RoleViewer.Contracts;

namespace RoleViewer.Web.Tests.Fakes;

/// <summary>A real Kestrel server speaking the RoleViewer.Api contract (and, for Try-it, the slice of the
/// AzureEmulator contract the web uses), with switches to put it into the states the page must handle. Its Api
/// answers are built from the contract records themselves (RoleViewer.Api/Contracts, compiled into the Web), so
/// the fake cannot send a shape the real Api cannot.</summary>
public sealed class FakeRoleViewerApi : IAsyncDisposable
{
    public static string TenantId => SeedIds.TenantId;
    public static string SubscriptionId => SeedIds.SubscriptionId;
    public static string ClientId => SeedIds.ApiClientId;
    public static string PrincipalId => SeedIds.ApiObjectId;
    public const string RightSubject = "system:serviceaccount:roleviewer:roleviewer-api";
    public const string Issuer = "https://localhost:5443/cluster";

    private static readonly Dictionary<string, (string Name, string Description)> BuiltIn = new()
    {
        ["acdd72a7-3385-48ef-bd42-f606fba81ae7"] = ("Reader", "View all resources, but does not allow you to make any changes."),
        ["b24988ac-6180-42a0-ab88-20f7382dd24c"] = ("Contributor", "Grants full access to manage all resources."),
    };

    // The permission blocks of the roles the fake hands out, as Azure defines them.
    private static readonly Dictionary<string, (string[] Actions, string[] NotActions)> RolePermissions = new()
    {
        ["RoleViewer Reader"] = (["Microsoft.Authorization/roleAssignments/read", "Microsoft.Authorization/roleDefinitions/read"], []),
        ["Reader"] = (["*/read"], []),
        ["Contributor"] = (["*"], ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write"]),
    };

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, RoleAssignmentDto> _assignments = new();
    private Dictionary<string, RoleAssignmentDto> _seededAssignments = [];

    private FakeRoleViewerApi(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Every request has its connection aborted, as when the Api process is gone.</summary>
    public bool Down { get; set; }

    /// <summary>The list is served as stale for this reason; status null as the Api sends it for RefreshPending, Timeout...</summary>
    public UpstreamErrorDto? StaleBecause { get; set; }

    public bool Stale
    {
        get => StaleBecause is not null;
        set => StaleBecause = value ? new UpstreamErrorDto(503, "ServiceUnavailable", "ARM is unavailable.") : null;
    }

    /// <summary>The emulator slice's admin key: admin calls without it answer 401, as the real emulator's do.</summary>
    public string AdminKey { get; } = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");

    /// <summary>Like the Api's RoleAssignments:RefreshRateLimit: a second ?refresh=true within it answers 429 with Retry-After.</summary>
    public TimeSpan? RefreshRateLimit { get; set; }

    /// <summary>False: the pod facts of a process outside Kubernetes (no Downward API variables).</summary>
    public bool PodInKubernetes { get; set; } = true;

    private DateTimeOffset _lastForcedRefresh = DateTimeOffset.MinValue;

    /// <summary>Role assignments answer this problem (status, upstream code) instead of a list.</summary>
    public (int Status, string Code)? RoleAssignmentsProblem { get; set; }

    public string FederatedSubject { get; private set; } = RightSubject;

    /// <summary>The subject the doctor last verified. Like the real Api (whose token stays cached), the doctor sees
    /// a federation change only when asked to probe: GET /api/identity?probe=true.</summary>
    public string ProbedSubject { get; private set; } = RightSubject;

    public int Probes { get; private set; }

    public int ArmWrites { get; private set; }

    /// <summary>POST /admin/state/reset calls (Try-it's "Reset to seed").</summary>
    public int Resets { get; private set; }

    /// <summary>Groups the emulator slice has put the identity in (Try-it's "Grant via group").</summary>
    public ConcurrentDictionary<string, bool> GroupsOfIdentity { get; } = new();

    public static async Task<FakeRoleViewerApi> StartAsync(CancellationToken cancellationToken, bool seedReader = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeRoleViewerApi(app);
        if (seedReader)
        {
            fake.AddAssignment("11111111-2222-4333-8444-555555555555", "RoleViewer Reader", "CustomRole",
                "Reads role assignments and role definitions.", "d3b07384-d113-4ec6-a3c5-6c1c2b6e4f10",
                new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        }

        fake._seededAssignments = fake._assignments.ToDictionary(a => a.Key, a => a.Value);
        fake.Map();
        await app.StartAsync(cancellationToken);
        fake.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return fake;
    }

    /// <param name="groupId">Assigned to this group, which the identity belongs to, rather than to the identity itself.</param>
    public string AddAssignment(string name, string roleName, string roleType, string description, string roleGuid, DateTimeOffset? createdOn = null, string? groupId = null)
    {
        var id = $"/subscriptions/{SubscriptionId}/providers/Microsoft.Authorization/roleAssignments/{name}";
        var scope = $"/subscriptions/{SubscriptionId}";
        _assignments[name] = new RoleAssignmentDto(
            id, name, $"{scope}/providers/Microsoft.Authorization/roleDefinitions/{roleGuid}", roleName, roleType, description,
            scope, "subscription", SubscriptionId, ResourceGroup: null, ResourceType: null, ResourceName: null,
            PrincipalId: groupId ?? PrincipalId, PrincipalType: groupId is null ? "ServicePrincipal" : "Group", Condition: null,
            CreatedOn: createdOn ?? DateTimeOffset.UtcNow);
        return id;
    }

    public void RemoveAllAssignments() => _assignments.Clear();

    private void Map()
    {
        _app.Use(async (context, next) =>
        {
            if (Down)
            {
                context.Abort();
                return;
            }

            await next(context);
        });

        _app.MapGet("/api/role-assignments", (bool? refresh, HttpResponse response) =>
        {
            if (refresh == true && RefreshRateLimit is { } limit)
            {
                var wait = _lastForcedRefresh + limit - DateTimeOffset.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Results.Problem(title: "Refresh rate-limited", detail: "A forced refresh ran moments ago.", statusCode: 429);
                }

                _lastForcedRefresh = DateTimeOffset.UtcNow;
            }

            return RoleAssignmentsProblem is { } problem
                ? Results.Problem(title: "Azure refused to list role assignments", detail: "ARM answered AuthorizationFailed. Fix: The identity lacks roleAssignments/read.",
                    statusCode: 502, extensions: new Dictionary<string, object?>
                    {
                        [ApiProblem.UpstreamStatusKey] = problem.Status,
                        [ApiProblem.UpstreamCodeKey] = problem.Code,
                        [ApiProblem.TraceIdKey] = "00-abc-def-01",
                    })
                : Results.Json(new RoleAssignmentsResponse(
                    new PrincipalDto(PrincipalId, ClientId, TenantId),
                    SubscriptionId,
                    [.. _assignments.Values],
                    DateTimeOffset.UtcNow.AddMinutes(Stale ? -7 : 0),
                    Stale,
                    Stale ? 420.0 : 0.0,
                    StaleBecause));
        });

        _app.MapGet("/api/identity", (bool? probe) =>
        {
            if (probe == true)
            {
                Probes++;
                ProbedSubject = FederatedSubject;
            }

            var federated = ProbedSubject == RightSubject;
            return Results.Json(new IdentityReport(
                ClientId, TenantId, PrincipalId, SubscriptionId,
                AuthorityHost: "https://localhost:5443/",
                ArmEndpoint: "https://localhost:5443/",
                AccessTokenExpiresOn: federated ? DateTimeOffset.UtcNow.AddMinutes(55) : null,
                Overall: federated ? IdentityCheck.Ok : IdentityCheck.Fail,
                Checks:
                [
                    new("env.AZURE_CLIENT_ID", "Client id configured", IdentityCheck.Ok, $"AZURE_CLIENT_ID={ClientId}", null),
                    new("projectedToken", "Projected service-account token", IdentityCheck.Ok, $"Subject {RightSubject}", null),
                    // As the real doctor: with no Entra token, ARM is not reached (a warning, not a pass).
                    federated
                        ? new("armAuthorization", "ARM authorizes listing role assignments", IdentityCheck.Ok, "1 role assignment(s) listed.", null)
                        : new("armAuthorization", "ARM authorizes listing role assignments", IdentityCheck.Warn, "Not reached: AADSTS700213 comes first.", null),
                    federated
                        ? new("tokenExchange", "Token exchange with Entra", IdentityCheck.Ok,
                            $"Exchanged the projected token for an access token, expires {DateTimeOffset.UtcNow.AddMinutes(55):O}.", null)
                        : new("tokenExchange", "Token exchange with Entra", IdentityCheck.Fail,
                            "AADSTS700213: No matching federated identity record found for presented assertion subject.",
                            $"Set the federated credential's subject to {RightSubject}."),
                ],
                new ProjectedTokenDto(Issuer, RightSubject, ["api://AzureADTokenExchange"], DateTimeOffset.UtcNow.AddHours(1), DateTimeOffset.UtcNow),
                new LastExchangeDto(DateTimeOffset.UtcNow, federated, federated ? null : "AADSTS700213",
                    federated ? null : "No matching federated identity record found for presented assertion subject.")));
        });

        _app.MapGet("/api/permissions", () =>
        {
            var roles = _assignments.Values.Select(a => (Assignment: a, Role: RolePermissions[a.RoleName])).ToList();
            return Results.Json(new EffectivePermissionsResponse(
                Scope: $"/subscriptions/{SubscriptionId}",
                ScopeKind: "subscription",
                Principal: new PrincipalDto(PrincipalId, ClientId, TenantId),
                Actions: [.. roles.SelectMany(r => r.Role.Actions).Distinct()],
                NotActions: [.. roles.SelectMany(r => r.Role.NotActions).Distinct()],
                DataActions: [],
                NotDataActions: [],
                Roles: [.. roles.Select(r => new RolePermissionsDto(
                    r.Assignment.Id, r.Assignment.RoleName, r.Assignment.RoleDefinitionId, r.Assignment.Scope,
                    ViaGroup: r.Assignment.PrincipalType == "Group", r.Assignment.Condition,
                    r.Role.Actions, r.Role.NotActions, [], []))],
                Warnings: [],
                FetchedAt: DateTimeOffset.UtcNow,
                Stale: false,
                UpstreamError: null));
        });

        _app.MapGet("/api/permissions/check", (string? action, string? scope) =>
        {
            if (string.IsNullOrWhiteSpace(action) || action.Contains('*', StringComparison.Ordinal))
            {
                return Results.Problem(title: "Invalid action", detail: $"Give one concrete operation, e.g. ?action=Microsoft.Compute/virtualMachines/read (got '{action}').",
                    statusCode: 400);
            }

            static bool Matches(string pattern, string action) =>
                Regex.IsMatch(action, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase);
            var grant = _assignments.Values.Select(a => (Assignment: a, Role: RolePermissions[a.RoleName]))
                .Select(r => (r.Assignment, Pattern: r.Role.Actions.FirstOrDefault(p => Matches(p, action)), Not: r.Role.NotActions.FirstOrDefault(p => Matches(p, action))))
                .FirstOrDefault(r => r.Pattern is not null && r.Not is null);
            var allowed = grant.Pattern is not null;
            return Results.Json(new PermissionCheckResponse(
                action,
                scope ?? $"/subscriptions/{SubscriptionId}",
                PermissionKinds.Action,
                allowed,
                allowed
                    ? new PermissionGrantDto(grant.Assignment.Id, grant.Assignment.RoleName, grant.Assignment.RoleDefinitionId, grant.Assignment.Scope,
                        ViaGroup: false, grant.Pattern!, grant.Assignment.Condition)
                    : null,
                DeniedBy: [],
                Reason: allowed
                    ? $"Allowed: role \"{grant.Assignment.RoleName}\" grants action {action} through \"{grant.Pattern}\"."
                    : $"Denied: none of the {_assignments.Count} role assignment(s) grants action {action}.",
                Warnings: [],
                FetchedAt: DateTimeOffset.UtcNow,
                Stale: false));
        });

        _app.MapGet("/api/pod", () => Results.Json(new PodFacts(
            PodName: "api-7d9f-abcde",
            Namespace: PodInKubernetes ? "roleviewer" : null,
            NodeName: PodInKubernetes ? "aks-node-1" : null,
            PodIp: PodInKubernetes ? "10.244.0.12" : null,
            ServiceAccount: PodInKubernetes ? "roleviewer-api" : null,
            HostName: "api-7d9f-abcde",
            ProcessUptimeSeconds: 3723.5,
            StartedAt: DateTimeOffset.UtcNow.AddSeconds(-3723.5),
            CpuCount: 2,
            CpuLimit: 0.5,
            MemoryLimitBytes: 268435456,
            WorkingSetBytes: 73400320,
            GcHeapBytes: 12582912,
            LoadAverage: [0.1, 0.2, 0.3],
            DotnetVersion: "10.0.1",
            AppVersion: "1.0.0+abc1234",
            OsDescription: "Debian GNU/Linux 12")));

        // As the real emulator: the admin API answers its owner only.
        _app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/admin") && context.Request.Headers["Emulator-Admin-Key"] != AdminKey)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });

        // The emulator slice Try-it uses.
        _app.MapPost("/admin/tokens", () => Results.Json(new { access_token = "operator-token", expires_on = 0 }));
        _app.MapGet("/admin/directory", () => Results.Json(new JsonObject
        {
            ["tenantId"] = TenantId,
            ["identities"] = new JsonArray(new JsonObject
            {
                ["clientId"] = ClientId,
                ["federatedCredentials"] = new JsonArray(new JsonObject
                {
                    ["name"] = "roleviewer-api",
                    ["issuer"] = Issuer,
                    ["subject"] = FederatedSubject,
                }),
            }),
        }));
        // GET /admin/state and its reset, in the emulator's shape (AzureEmulator/State/SeedDrift.cs): the seed is what
        // the fake held when it started, no groups, and the right federated subject.
        _app.MapGet("/admin/state", () => Results.Json(StateReport()));
        _app.MapPost("/admin/state/reset", () =>
        {
            Resets++;
            _assignments.Clear();
            foreach (var (name, assignment) in _seededAssignments)
            {
                _assignments[name] = assignment;
            }

            GroupsOfIdentity.Clear();
            FederatedSubject = RightSubject;
            return Results.Json(StateReport());
        });
        _app.MapPut("/admin/groups/{objectId}", (string objectId, JsonObject body) =>
        {
            if (body["members"] is not JsonArray members || members.Select(m => (string?)m).SingleOrDefault() != PrincipalId)
            {
                return Results.BadRequest();
            }

            GroupsOfIdentity[objectId] = true;
            return Results.Ok(body);
        });
        _app.MapPut("/admin/identities/{clientId}/federated-credentials/{name}", (string clientId, string name, JsonObject body) =>
        {
            if (clientId != ClientId || name != "roleviewer-api" || (string?)body["issuer"] != Issuer)
            {
                return Results.BadRequest();
            }

            FederatedSubject = (string)body["subject"]!;
            return Results.Ok(body);
        });
        _app.MapPut("/subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments/{name}", (string sub, string name, JsonObject body, HttpRequest request) =>
        {
            if (request.Headers.Authorization != "Bearer operator-token" || sub != SubscriptionId)
            {
                return Results.StatusCode(403);
            }

            var roleGuid = ((string)body["properties"]!["roleDefinitionId"]!).Split('/')[^1];
            var (roleName, description) = BuiltIn[roleGuid];
            var principal = (string?)body["properties"]!["principalId"];
            if (principal != PrincipalId && !GroupsOfIdentity.ContainsKey(principal ?? ""))
            {
                return Results.BadRequest();
            }

            ArmWrites++;
            AddAssignment(name, roleName, "BuiltInRole", description, roleGuid, groupId: principal == PrincipalId ? null : principal);
            return Results.Created((string?)null, body);
        });
        _app.MapGet("/subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments", () => Results.Json(new JsonObject
        {
            ["value"] = new JsonArray([.. _assignments.Values.Select(a => new JsonObject
            {
                ["id"] = a.Id,
                ["properties"] = new JsonObject { ["principalId"] = a.PrincipalId, ["roleDefinitionId"] = a.RoleDefinitionId },
            })]),
        }));
        _app.MapDelete("/subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments/{name}", (string name) =>
        {
            ArmWrites++;
            return _assignments.TryRemove(name, out _) ? Results.Ok() : Results.NoContent();
        });
    }

    private JsonObject StateReport()
    {
        var differences = new List<JsonObject>();
        void Add(string area, string detail) => differences.Add(new JsonObject { ["area"] = area, ["detail"] = detail });
        foreach (var added in _assignments.Keys.Except(_seededAssignments.Keys))
        {
            Add("roleAssignments", $"Role assignment added: {_assignments[added].RoleName} for id-roleviewer-api at /subscriptions/{SubscriptionId}.");
        }

        foreach (var removed in _seededAssignments.Keys.Except(_assignments.Keys))
        {
            Add("roleAssignments", $"Role assignment removed: {_seededAssignments[removed].RoleName} for id-roleviewer-api at /subscriptions/{SubscriptionId}.");
        }

        foreach (var group in GroupsOfIdentity.Keys)
        {
            Add("groups", $"Group added: sg-roleviewer-try-it ({group}, 1 member).");
        }

        if (FederatedSubject != RightSubject)
        {
            Add("federatedCredentials", $"Federated credential of id-roleviewer-api changed: 'roleviewer-api' (issuer {Issuer}, subject {FederatedSubject}); " +
                $"the seed has 'roleviewer-api' (issuer {Issuer}, subject {RightSubject}).");
        }

        return new JsonObject
        {
            ["differsFromSeed"] = differences.Count > 0,
            ["differences"] = new JsonArray([.. differences]),
            ["stateFiles"] = new JsonArray("/home/dev/.local/state/roleviewer/emulator/directory.json", "/home/dev/.local/state/roleviewer/emulator/authorization.json"),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
