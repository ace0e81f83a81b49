using System.Text.Json.Nodes;
using Json.Schema;

namespace RoleViewer.Api.Tests;

/// <summary>
/// The Api's live /openapi/v1.json against what its endpoints really answer: every status each endpoint can return,
/// with bodies that use the nullable fields, is declared with its media type, and the body validates against the
/// declared schema (required and nullable fields; no property the schema does not name). And every declared
/// response is produced by one of these scenarios, so a new status or endpoint needs a scenario here.
/// </summary>
public sealed class OpenApiContractTests : IDisposable
{
    private readonly ApiFactory _factory = new();

    // As deployed: in Development, minimal APIs throw on a bad query value and the exception handler answers 500.
    public OpenApiContractTests() => _factory.Settings["environment"] = "Production";

    public void Dispose() => _factory.Dispose();

    private sealed record Scenario(string Path, HttpStatusCode Status, Func<ApiFactory, CancellationToken, Task<HttpResponseMessage>> Send);

    private static readonly Dictionary<string, Scenario> Scenarios = new()
    {
        ["role assignments, fresh"] = new("/api/role-assignments", HttpStatusCode.OK, (f, ct) =>
        {
            // Nullable fields filled and empty: a resource-scoped assignment and a role ARM no longer knows.
            f.Arm.Assignments.Add(StubArm.Assignment(TestIds.ReaderRoleId,
                $"/subscriptions/{TestIds.SubscriptionId}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp"));
            f.Arm.Assignments.Add(StubArm.Assignment("00000000-0000-4000-8000-00000000dead", $"/subscriptions/{TestIds.SubscriptionId}/resourceGroups/rg-app"));
            return f.CreateClient().GetAsync("/api/role-assignments", ct);
        }),
        ["role assignments, stale after an ARM 503"] = new("/api/role-assignments", HttpStatusCode.OK, async (f, ct) =>
        {
            var client = f.CreateClient();
            (await client.GetAsync("/api/role-assignments", ct)).EnsureSuccessStatusCode();
            f.Arm.OnListing = _ => Task.FromResult(StubArm.ArmError(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "Down."));
            f.Time.Advance(TimeSpan.FromSeconds(11));
            return await client.GetAsync("/api/role-assignments", ct);
        }),
        ["role assignments, refresh pending (upstream status null)"] = new("/api/role-assignments", HttpStatusCode.OK, async (f, ct) =>
        {
            var client = f.CreateClient();
            (await client.GetAsync("/api/role-assignments", ct)).EnsureSuccessStatusCode();
            f.Arm.OnListing = async _ =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("unreachable");
            };
            f.Time.Advance(TimeSpan.FromSeconds(11));
            var request = client.GetAsync("/api/role-assignments", ct);
            while (!request.IsCompleted)
            {
                f.Time.Advance(TimeSpan.FromMilliseconds(250));
                await Task.WhenAny(request, Task.Delay(20, ct));
            }

            return await request;
        }),
        ["role assignments, refresh not a boolean"] = new("/api/role-assignments", HttpStatusCode.BadRequest, (f, ct) =>
            f.CreateClient().GetAsync("/api/role-assignments?refresh=maybe", ct)),
        ["role assignments, forced refresh rate-limited"] = new("/api/role-assignments", HttpStatusCode.TooManyRequests, async (f, ct) =>
        {
            var client = f.CreateClient();
            (await client.GetAsync("/api/role-assignments?refresh=true", ct)).EnsureSuccessStatusCode();
            return await client.GetAsync("/api/role-assignments?refresh=true", ct);
        }),
        ["role assignments, ARM 403"] = new("/api/role-assignments", HttpStatusCode.BadGateway, (f, ct) =>
        {
            f.Arm.OnListing = _ => Task.FromResult(StubArm.ArmError(HttpStatusCode.Forbidden, "AuthorizationFailed", "Not allowed."));
            return f.CreateClient().GetAsync("/api/role-assignments", ct);
        }),
        ["role assignments, subscription missing"] = new("/api/role-assignments", HttpStatusCode.ServiceUnavailable, (f, ct) =>
        {
            f.Settings["AZURE_SUBSCRIPTION_ID"] = "";
            return f.CreateClient().GetAsync("/api/role-assignments", ct);
        }),
        ["role assignments, ARM timed out"] = new("/api/role-assignments", HttpStatusCode.GatewayTimeout, (f, ct) =>
        {
            f.Arm.OnListing = _ => throw new TimeoutException("The ARM call exceeded its network timeout.");
            return f.CreateClient().GetAsync("/api/role-assignments", ct);
        }),
        ["identity, healthy"] = new("/api/identity", HttpStatusCode.OK, (f, ct) => f.CreateClient().GetAsync("/api/identity?probe=true", ct)),
        ["identity, token file missing and exchange failing"] = new("/api/identity", HttpStatusCode.OK, (f, ct) =>
        {
            File.Delete(f.TokenFile);
            f.Credential.Failure = new InvalidOperationException("AADSTS700213: No matching federated identity record found.");
            return f.CreateClient().GetAsync("/api/identity?probe=true", ct);
        }),
        ["identity, probe not a boolean"] = new("/api/identity", HttpStatusCode.BadRequest, (f, ct) =>
            f.CreateClient().GetAsync("/api/identity?probe=maybe", ct)),
        ["pod, outside Kubernetes without cgroup limits"] = new("/api/pod", HttpStatusCode.OK, (f, ct) => f.CreateClient().GetAsync("/api/pod", ct)),
        ["permissions, at a resource group"] = new("/api/permissions", HttpStatusCode.OK, (f, ct) =>
        {
            f.Arm.Assignments.Add(StubArm.Assignment(TestIds.ReaderRoleId, $"/subscriptions/{TestIds.SubscriptionId}/resourceGroups/rg-app"));
            return f.CreateClient().GetAsync($"/api/permissions?scope=/subscriptions/{TestIds.SubscriptionId}/resourceGroups/rg-app", ct);
        }),
        ["permissions, scope not an ARM scope"] = new("/api/permissions", HttpStatusCode.BadRequest, (f, ct) =>
            f.CreateClient().GetAsync("/api/permissions?scope=rg-app", ct)),
        ["permissions, ARM 403"] = new("/api/permissions", HttpStatusCode.BadGateway, (f, ct) => WithArmForbidden(f, "/api/permissions", ct)),
        ["permissions, subscription missing"] = new("/api/permissions", HttpStatusCode.ServiceUnavailable, (f, ct) =>
            WithoutSubscription(f, "/api/permissions", ct)),
        ["permissions, ARM timed out"] = new("/api/permissions", HttpStatusCode.GatewayTimeout, (f, ct) => WithArmTimeout(f, "/api/permissions", ct)),
        ["permission check, allowed"] = new("/api/permissions/check", HttpStatusCode.OK, (f, ct) =>
        {
            f.Arm.Assignments.Add(StubArm.Assignment(TestIds.ReaderRoleId, $"/subscriptions/{TestIds.SubscriptionId}/resourceGroups/rg-app"));
            return f.CreateClient().GetAsync(
                $"/api/permissions/check?action=Microsoft.Compute/virtualMachines/read&scope=/subscriptions/{TestIds.SubscriptionId}/resourceGroups/rg-app", ct);
        }),
        ["permission check, denied"] = new("/api/permissions/check", HttpStatusCode.OK, (f, ct) =>
            f.CreateClient().GetAsync("/api/permissions/check?action=Microsoft.Compute/virtualMachines/delete", ct)),
        ["permission check, wildcard action"] = new("/api/permissions/check", HttpStatusCode.BadRequest, (f, ct) =>
            f.CreateClient().GetAsync("/api/permissions/check?action=Microsoft.Compute/*/read", ct)),
        ["permission check, ARM 403"] = new("/api/permissions/check", HttpStatusCode.BadGateway, (f, ct) =>
            WithArmForbidden(f, "/api/permissions/check?action=Microsoft.Compute/virtualMachines/read", ct)),
        ["permission check, subscription missing"] = new("/api/permissions/check", HttpStatusCode.ServiceUnavailable, (f, ct) =>
            WithoutSubscription(f, "/api/permissions/check?action=Microsoft.Compute/virtualMachines/read", ct)),
        ["permission check, ARM timed out"] = new("/api/permissions/check", HttpStatusCode.GatewayTimeout, (f, ct) =>
            WithArmTimeout(f, "/api/permissions/check?action=Microsoft.Compute/virtualMachines/read", ct)),
    };

    public static TheoryData<string> ScenarioNames => [.. Scenarios.Keys];

    private static Task<HttpResponseMessage> WithArmForbidden(ApiFactory f, string path, CancellationToken ct)
    {
        f.Arm.OnListing = _ => Task.FromResult(StubArm.ArmError(HttpStatusCode.Forbidden, "AuthorizationFailed", "Not allowed."));
        return f.CreateClient().GetAsync(path, ct);
    }

    private static Task<HttpResponseMessage> WithoutSubscription(ApiFactory f, string path, CancellationToken ct)
    {
        f.Settings["AZURE_SUBSCRIPTION_ID"] = "";
        return f.CreateClient().GetAsync(path, ct);
    }

    private static Task<HttpResponseMessage> WithArmTimeout(ApiFactory f, string path, CancellationToken ct)
    {
        f.Arm.OnListing = _ => throw new TimeoutException("The ARM call exceeded its network timeout.");
        return f.CreateClient().GetAsync(path, ct);
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ScenarioNames))]
    public async Task Response_InEachScenario_IsDeclaredAndMatchesItsSchema(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var scenario = Scenarios[name];

        using var response = await scenario.Send(_factory, ct);
        var document = await DocumentAsync(ct);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var body = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(scenario.Status, response.StatusCode);
        var declared = document["paths"]?[scenario.Path]?["get"]?["responses"]?[((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)];
        Assert.True(declared is not null, $"GET {scenario.Path} answered {(int)response.StatusCode}, which the document does not declare.");
        var content = declared["content"]?[mediaType ?? ""];
        Assert.True(content is not null, $"GET {scenario.Path} {(int)response.StatusCode} answered '{mediaType}', the document declares [{string.Join(", ", declared["content"]?.AsObject().Select(c => c.Key) ?? [])}].");
        var results = SchemaFor(document, content["schema"]!).Evaluate(JsonDocument.Parse(body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, $"GET {scenario.Path} {(int)response.StatusCode} body does not match its schema:\n{Errors(results)}\n{body}");
    }

    [Fact(Timeout = 60_000)]
    public async Task Document_EveryDeclaredResponse_IsProducedByAScenario()
    {
        var document = await DocumentAsync(TestContext.Current.CancellationToken);

        var declared = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().SelectMany(operation => operation.Value!["responses"]!.AsObject()
                .Select(response => $"{operation.Key.ToUpperInvariant()} {path.Key} {response.Key}")))
            .Order(StringComparer.Ordinal);
        var produced = Scenarios.Values.Select(s => $"GET {s.Path} {(int)s.Status}").Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(produced, declared);
    }

    private async Task<JsonNode> DocumentAsync(CancellationToken ct) =>
        (await _factory.CreateClient().GetFromJsonAsync<JsonNode>("/openapi/v1.json", ct))!;

    /// <summary>
    /// The response schema as one JSON Schema 2020-12 document: components become $defs, and every object schema is
    /// closed (unevaluatedProperties: false), so a property the document does not name fails like a missing one.
    /// </summary>
    private static JsonSchema SchemaFor(JsonNode document, JsonNode responseSchema)
    {
        var definitions = document["components"]!["schemas"]!.DeepClone().AsObject();
        foreach (var (_, definition) in definitions)
        {
            if (definition!["properties"] is not null)
            {
                definition["unevaluatedProperties"] = false;
            }
        }

        var root = responseSchema.DeepClone().AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = definitions;
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        // A fresh registry and address for each build: JsonSchema.Net's global registry keeps the first schema of an address.
        return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://roleviewer.test/openapi/{Guid.NewGuid()}"));
    }

    private static string Errors(EvaluationResults results) =>
        string.Join('\n', (results.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));
}
