using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace RoleViewer.Web.TryIt;

/// <summary>Talks to the AzureEmulator the way a person would with az: ARM calls with an operator's token
/// for role assignments, the admin API for the federated credential.</summary>
public sealed class EmulatorClient(HttpClient http, IOptions<TryItOptions> options)
{
    private const string ApiVersion = "api-version=2022-04-01";
    private static readonly string[] TokenExchangeAudience = ["api://AzureADTokenExchange"];

    /// <param name="principalType">"ServicePrincipal", or "Group" for a group's object id.</param>
    public async Task GrantAsync(string subscriptionId, string principalId, string roleDefinitionGuid, CancellationToken cancellationToken, string principalType = "ServicePrincipal")
    {
        var scope = $"/subscriptions/{subscriptionId}";
        using var request = await ArmRequestAsync(HttpMethod.Put,
            $"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?{ApiVersion}", cancellationToken);
        request.Content = JsonContent.Create(new
        {
            properties = new
            {
                roleDefinitionId = $"{scope}/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionGuid}",
                principalId,
                principalType,
            },
        });
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, "create the role assignment", cancellationToken);
    }

    /// <summary>Makes the Try-it group exist with the app identity as its only member (an admin call: Graph is not emulated).</summary>
    public async Task EnsureTryItGroupAsync(string memberObjectId, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsJsonAsync($"/admin/groups/{options.Value.TryItGroupObjectId}",
            new { displayName = options.Value.TryItGroupName, members = new[] { memberObjectId } }, cancellationToken);
        await EnsureSuccessAsync(response, $"put the app identity in group '{options.Value.TryItGroupName}'", cancellationToken);
    }

    /// <returns>How many assignments were deleted.</returns>
    public async Task<int> RevokeAsync(string subscriptionId, IEnumerable<string> principalIds, string roleDefinitionGuid, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var principalId in principalIds)
        {
            removed += await RevokeAsync(subscriptionId, principalId, roleDefinitionGuid, cancellationToken);
        }

        return removed;
    }

    private async Task<int> RevokeAsync(string subscriptionId, string principalId, string roleDefinitionGuid, CancellationToken cancellationToken)
    {
        var scope = $"/subscriptions/{subscriptionId}";
        using var list = await ArmRequestAsync(HttpMethod.Get,
            $"{scope}/providers/Microsoft.Authorization/roleAssignments?{ApiVersion}&$filter={Uri.EscapeDataString($"principalId eq '{principalId}'")}",
            cancellationToken);
        using var listResponse = await http.SendAsync(list, cancellationToken);
        await EnsureSuccessAsync(listResponse, "list the role assignments", cancellationToken);
        var body = await listResponse.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);

        var ids = (body?["value"]?.AsArray() ?? [])
            .Where(a => (string?)a?["properties"]?["principalId"] == principalId
                && ((string?)a?["properties"]?["roleDefinitionId"])?.EndsWith(roleDefinitionGuid, StringComparison.OrdinalIgnoreCase) == true)
            .Select(a => (string?)a?["id"])
            .OfType<string>()
            .ToList();
        foreach (var id in ids)
        {
            using var delete = await ArmRequestAsync(HttpMethod.Delete, $"{id}?{ApiVersion}", cancellationToken);
            using var deleteResponse = await http.SendAsync(delete, cancellationToken);
            await EnsureSuccessAsync(deleteResponse, "delete the role assignment", cancellationToken);
        }

        return ids.Count;
    }

    /// <summary>Whether the emulator's roles, groups and federation still equal its seed; never throws, a failure is the answer's Error.</summary>
    public async Task<SeedState> GetSeedStateAsync(CancellationToken cancellationToken)
    {
        // The page waits for this; a stuck emulator must not hold it longer than the Api's own limit would.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await http.GetAsync(new Uri("/admin/state", UriKind.Relative), timeout.Token);
            await EnsureSuccessAsync(response, "report its state", timeout.Token);
            return new SeedState(await response.Content.ReadFromJsonAsync<EmulatorStateReport>(timeout.Token), null);
        }
        catch (Exception ex) when (ex is EmulatorException or HttpRequestException or System.Text.Json.JsonException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new SeedState(null, ex is OperationCanceledException ? "the emulator did not answer GET /admin/state within 5 s." : ex.Message);
        }
    }

    /// <summary>Puts roles, groups and federated credentials back as seeded (POST /admin/state/reset).</summary>
    public async Task<EmulatorStateReport> ResetToSeedAsync(CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(new Uri("/admin/state/reset", UriKind.Relative), content: null, cancellationToken);
        await EnsureSuccessAsync(response, "reset its state to the seed", cancellationToken);
        return (await response.Content.ReadFromJsonAsync<EmulatorStateReport>(cancellationToken))
            ?? throw new EmulatorException("The emulator answered the reset with an empty body.");
    }

    public async Task SetFederatedSubjectAsync(string clientId, string issuer, string subject, CancellationToken cancellationToken)
    {
        var name = options.Value.FederatedCredentialName;
        using var response = await http.PutAsJsonAsync(
            $"/admin/identities/{clientId}/federated-credentials/{name}",
            new { issuer, subject, audiences = TokenExchangeAudience },
            cancellationToken);
        await EnsureSuccessAsync(response, $"update the federated credential '{name}'", cancellationToken);
    }

    /// <summary>The app identity's federated credential as the emulator's directory holds it, or null when it has none.</summary>
    public async Task<FederatedCredentialInfo?> FindFederatedCredentialAsync(string clientId, CancellationToken cancellationToken)
    {
        var directory = await http.GetFromJsonAsync<JsonNode>("/admin/directory", cancellationToken);
        var identity = Walk(directory).FirstOrDefault(o =>
            string.Equals((string?)o["clientId"], clientId, StringComparison.OrdinalIgnoreCase));
        return Walk(identity)
            .Where(o => (string?)o["name"] == options.Value.FederatedCredentialName && o["issuer"] is not null)
            .Select(o => new FederatedCredentialInfo(options.Value.FederatedCredentialName, (string?)o["issuer"], (string?)o["subject"]))
            .FirstOrDefault();
    }

    private static IEnumerable<JsonObject> Walk(JsonNode? node) => node switch
    {
        JsonObject o => new[] { o }.Concat(o.SelectMany(p => Walk(p.Value))),
        JsonArray a => a.SelectMany(Walk),
        _ => [],
    };

    private async Task<HttpRequestMessage> ArmRequestAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var tokenResponse = await http.PostAsJsonAsync("/admin/tokens", new
        {
            clientId = options.Value.OperatorClientId,
            resource = "https://management.azure.com/",
            lifetimeSeconds = 300,
        }, cancellationToken);
        await EnsureSuccessAsync(tokenResponse, "get an operator token", cancellationToken);
        var token = await tokenResponse.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string?)token?["access_token"]);
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string action, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new EmulatorException(
                $"The emulator refused to {action}: HTTP {(int)response.StatusCode} {body[..Math.Min(body.Length, 400)]}");
        }
    }
}

public sealed record FederatedCredentialInfo(string Name, string? Issuer, string? Subject);

public sealed class EmulatorException(string message) : Exception(message);
