using System.Text;
using Azure.Core;

namespace RoleViewer.Api.Tests;

/// <summary>Builds unsigned JWTs: the API only reads claims of its own tokens, it never validates them.</summary>
public static class TestJwt
{
    private static readonly string[] ExchangeAudience = ["api://AzureADTokenExchange"];

    public static string Create(object claims)
    {
        static string Encode(object value) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Encode(new { alg = "RS256", typ = "JWT" })}.{Encode(claims)}.c2lnbmF0dXJl";
    }

    public static string AccessToken(string? objectId = null) =>
        Create(new { oid = objectId ?? TestIds.ObjectId, tid = TestIds.TenantId, appid = TestIds.ClientId, aud = "https://management.azure.com/" });

    public static string ServiceAccountToken(string? subject = null, DateTimeOffset? expires = null) =>
        Create(new
        {
            iss = "https://localhost:5443/issuer/",
            sub = subject ?? SeedIds.ApiSubject,
            aud = ExchangeAudience,
            exp = (expires ?? DateTimeOffset.UtcNow.AddHours(1)).ToUnixTimeSeconds(),
        });
}

/// <summary>The emulator's seeded ids (<see cref="SeedIds"/>) as the API sees them: its own identity is "the" client.</summary>
public static class TestIds
{
    /// <summary>A custom role id that is not seeded: stub answers only.</summary>
    public const string CustomRoleId = "a1b2c3d4-0000-4000-8000-000000000001";

    public static string TenantId => SeedIds.TenantId;
    public static string SubscriptionId => SeedIds.SubscriptionId;
    public static string ClientId => SeedIds.ApiClientId;
    public static string ObjectId => SeedIds.ApiObjectId;
    public static string ReaderRoleId => SeedIds.ReaderRoleId;
}

/// <summary>A credential that hands out a fixed token, or throws what a test tells it to.</summary>
public sealed class FakeCredential : TokenCredential
{
    private int _calls;

    public string Token { get; set; } = TestJwt.AccessToken();
    public Exception? Failure { get; set; }
    public int Calls => _calls;

    /// <summary>When set, every exchange waits for it, so a test can hold exchanges in flight.</summary>
    public Task? Gate { get; set; }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (Gate is { } gate)
        {
            await gate.WaitAsync(cancellationToken);
        }

        return Failure is { } failure ? throw failure : new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
    }
}

/// <summary>Answers ARM requests in-process; counts listings and records what was asked.</summary>
public sealed class StubArm : HttpMessageHandler
{
    private int _listings;

    public Func<HttpRequestMessage, Task<HttpResponseMessage>>? OnListing { get; set; }
    public List<Uri> Requests { get; } = [];
    public int Listings => _listings;
    public List<object> Assignments { get; } = [Assignment(TestIds.CustomRoleId, $"/subscriptions/{TestIds.SubscriptionId}")];

    public static object Assignment(string roleId, string scope, string? name = null) => new
    {
        id = $"{scope}/providers/Microsoft.Authorization/roleAssignments/{name ??= Guid.NewGuid().ToString()}",
        name,
        type = "Microsoft.Authorization/roleAssignments",
        properties = new
        {
            roleDefinitionId = $"/subscriptions/{TestIds.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{roleId}",
            principalId = TestIds.ObjectId,
            principalType = "ServicePrincipal",
            scope,
            condition = (string?)null,
            createdOn = "2026-01-01T00:00:00.0000000Z",
        },
    };

    public static HttpResponseMessage Json(HttpStatusCode status, object body) =>
        new(status) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };

    public static HttpResponseMessage ArmError(HttpStatusCode status, string code, string message) =>
        Json(status, new { error = new { code, message } });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request.RequestUri!);
        }

        var path = request.RequestUri!.AbsolutePath;
        if (path.EndsWith("/roleAssignments", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _listings);
            return OnListing is { } custom ? await custom(request) : Json(HttpStatusCode.OK, new { value = Assignments.ToArray() });
        }

        var roleId = path[(path.LastIndexOf('/') + 1)..];
        return roleId switch
        {
            TestIds.CustomRoleId => Json(HttpStatusCode.OK, Definition(roleId, "RoleViewer Reader", "CustomRole", "Reads role assignments and definitions.")),
            _ when roleId == TestIds.ReaderRoleId => Json(HttpStatusCode.OK, Definition(roleId, "Reader", "BuiltInRole", "View all resources.")),
            _ => ArmError(HttpStatusCode.NotFound, "RoleDefinitionDoesNotExist", "The specified role definition does not exist."),
        };
    }

    private static object Definition(string id, string name, string type, string description) => new
    {
        id = $"/subscriptions/{TestIds.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{id}",
        name = id,
        type = "Microsoft.Authorization/roleDefinitions",
        properties = new { roleName = name, type, description, assignableScopes = new[] { "/" } },
    };
}
