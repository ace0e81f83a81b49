using System.Net.Http.Headers;
using Azure.Core;
using Azure.Identity;

namespace AzureEmulator.Tests.Arm;

/// <summary>
/// Wire tests of what no npm or NuGet client in the suite sends: older api-versions (property sets as in the
/// REST spec's examples of each version, Azure/azure-rest-api-specs Microsoft.Authorization), ARM's version and
/// filter errors, ARM's path tolerance, subscriptions visibility, and the cloud metadata a tool discovers.
/// </summary>
public sealed class ArmFidelityTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private const string Reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    private const string RoleViewerReaderAssignment = "d3f5a7c9-1b2d-4e6f-8a0b-2c4e6a8c0e1f";
    private static readonly string Sub = ArmClient.SubscriptionScope;
    private static readonly string[] ReadEverything = ["*/read"];

    [Theory]
    [InlineData("2015-07-01", "roleDefinitionId,principalId,scope")]
    [InlineData("2018-01-01-preview", "roleDefinitionId,principalId,scope")]
    [InlineData("2020-04-01-preview", "roleDefinitionId,principalId,principalType,scope,condition,conditionVersion,createdOn,updatedOn,createdBy,updatedBy,delegatedManagedIdentityResourceId,description")]
    [InlineData("2022-04-01", "roleDefinitionId,principalId,principalType,scope,condition,conditionVersion,createdOn,updatedOn,createdBy,updatedBy,delegatedManagedIdentityResourceId,description")]
    public async Task RoleAssignmentGet_AtEachServedVersion_HasThatVersionsProperties(string apiVersion, string properties)
    {
        var body = await GetOkAsync(SeedIds.OperatorClientId, $"{Sub}/providers/Microsoft.Authorization/roleAssignments/{RoleViewerReaderAssignment}?api-version={apiVersion}", TestContext.Current.CancellationToken);

        Assert.Equal(properties.Split(','), body["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["properties", "id", "type", "name"], body.AsObject().Select(p => p.Key));
    }

    [Theory]
    [InlineData("2015-07-01", "roleName,type,description,assignableScopes,permissions", "actions,notActions")]
    [InlineData("2018-01-01-preview", "roleName,type,description,assignableScopes,permissions", "actions,notActions,dataActions,notDataActions")]
    [InlineData("2022-04-01", "roleName,type,description,assignableScopes,permissions,createdOn,updatedOn,createdBy,updatedBy", "actions,notActions,dataActions,notDataActions")]
    [InlineData("2022-05-01-preview", "roleName,type,description,assignableScopes,permissions,createdOn,updatedOn,createdBy,updatedBy", "actions,notActions,dataActions,notDataActions,condition,conditionVersion")]
    public async Task RoleDefinitionGet_AtEachServedVersion_HasThatVersionsProperties(string apiVersion, string properties, string permissionProperties)
    {
        var body = await GetOkAsync(SeedIds.OperatorClientId, $"{Sub}/providers/Microsoft.Authorization/roleDefinitions/{Reader}?api-version={apiVersion}", TestContext.Current.CancellationToken);

        Assert.Equal(properties.Split(','), body["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(permissionProperties.Split(','), body["properties"]!["permissions"]![0]!.AsObject().Select(p => p.Key));
    }

    [Theory]
    [InlineData("roleAssignments", "2099-01-01", 400, "InvalidResourceType")]
    [InlineData("roleAssignments", "2022-05-01-preview", 400, "InvalidResourceType")]
    [InlineData("roleDefinitions", "2020-04-01-preview", 400, "InvalidResourceType")]
    [InlineData("roleAssignments", "2022-4-1", 400, "InvalidApiVersionParameter")]
    [InlineData("roleAssignments", "", 400, "MissingApiVersionParameter")]
    public async Task Listing_WithAVersionTheTypeDoesNotServe_GetsArmsAnswerNamingTheSupportedVersions(string type, string apiVersion, int status, string code)
    {
        var (actual, body) = await SendAsync(SeedIds.OperatorClientId, HttpMethod.Get, $"{Sub}/providers/Microsoft.Authorization/{type}?api-version={apiVersion}", TestContext.Current.CancellationToken);

        Assert.Equal(status, actual);
        Assert.Equal(code, body!["error"]!["code"]!.GetValue<string>());
        if (code != "MissingApiVersionParameter")
        {
            var message = body["error"]!["message"]!.GetValue<string>();
            Assert.Contains($"'{apiVersion}'", message, StringComparison.Ordinal);
            Assert.Contains(type == "roleAssignments" ? "2015-07-01,2018-01-01-preview,2020-04-01-preview,2022-04-01" : "2015-07-01,2018-01-01-preview,2022-04-01,2022-05-01-preview", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("atScope() and principalId eq '0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b'")]
    [InlineData("roleName eq 'Reader'")]
    public async Task ListAssignments_WithAFilterArmRefuses_Answers400UnsupportedQueryWithArmsMessage(string filter)
    {
        var (status, body) = await SendAsync(SeedIds.OperatorClientId, HttpMethod.Get,
            $"{Sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter={Uri.EscapeDataString(filter)}", TestContext.Current.CancellationToken);

        Assert.Equal(400, status);
        Assert.Equal("UnsupportedQuery", body!["error"]!["code"]!.GetValue<string>());
        Assert.Equal($"The filter '{filter}' is not supported. Supported filters are either 'atScope()' or 'principalId eq '{{value}}' ' or 'assignedTo('{{value}}')'.",
            body["error"]!["message"]!.GetValue<string>());
    }

    [Fact(Timeout = 30_000)]
    public async Task ListAssignments_AtTheRootWithoutAFilter_IsRefusedAsArmDoes()
    {
        var (status, body) = await SendAsync(SeedIds.OperatorClientId, HttpMethod.Get, "/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01", TestContext.Current.CancellationToken);

        Assert.Equal(400, status);
        Assert.Equal("The role assignments query at '/' scope is not allowed without any filters.", body!["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("//subscriptions/{0}/providers/Microsoft.Authorization/roleAssignments/{1}?api-version=2022-04-01")]
    [InlineData("/SUBSCRIPTIONS/{0}/PROVIDERS/MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/{1}?api-version=2022-04-01")]
    [InlineData("/subscriptions/{0}//providers/microsoft.authorization/roleassignments/{1}/?api-version=2022-04-01")]
    public async Task GetAssignment_WithDoubledSlashesOrAnyCase_IsServedLikeTheCanonicalPath(string template)
    {
        var body = await GetOkAsync(SeedIds.OperatorClientId, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, SeedIds.SubscriptionId, RoleViewerReaderAssignment), TestContext.Current.CancellationToken);

        Assert.Equal($"{Sub}/providers/Microsoft.Authorization/roleAssignments/{RoleViewerReaderAssignment}", body["id"]!.GetValue<string>());
    }

    [Fact(Timeout = 30_000)]
    public async Task ListDefinitions_AtScopeAndBelow_AddsCustomRolesAssignableOnlyBelow_AndEveryBuiltInCarriesItsDates()
    {
        var roleId = Guid.NewGuid();
        var (created, _) = await SendAsync(SeedIds.OperatorClientId, HttpMethod.Put, $"{Sub}/providers/Microsoft.Authorization/roleDefinitions/{roleId}?api-version=2022-04-01", TestContext.Current.CancellationToken, new
        {
            properties = new
            {
                roleName = $"Below {roleId}",
                permissions = new[] { new { actions = ReadEverything } },
                assignableScopes = new[] { $"{Sub}/resourceGroups/rg-below" },
            },
        });

        var plain = await GetOkAsync(SeedIds.OperatorClientId, $"{Sub}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01", TestContext.Current.CancellationToken);
        var below = await GetOkAsync(SeedIds.OperatorClientId, $"{Sub}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01&$filter=atScopeAndBelow()", TestContext.Current.CancellationToken);

        Assert.Equal(201, created);
        Assert.DoesNotContain(plain["value"]!.AsArray(), d => d!["name"]!.GetValue<string>() == roleId.ToString());
        Assert.Contains(below["value"]!.AsArray(), d => d!["name"]!.GetValue<string>() == roleId.ToString());
        var builtIns = plain["value"]!.AsArray().Where(d => d!["properties"]!["type"]!.GetValue<string>() == "BuiltInRole").ToList();
        Assert.NotEmpty(builtIns);
        Assert.All(builtIns, d => Assert.True(
            DateTimeOffset.TryParse(d!["properties"]!["createdOn"]?.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _)
            && DateTimeOffset.TryParse(d["properties"]!["updatedOn"]?.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _),
            $"{d["properties"]!["roleName"]} lacks createdOn/updatedOn"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Subscriptions_ListOnlyWhereTheCallerHoldsARole_AndAnswerUnknownVersionsWithInvalidApiVersionParameter()
    {
        var mine = await GetOkAsync(SeedIds.OperatorClientId, "/subscriptions?api-version=2022-12-01", TestContext.Current.CancellationToken);
        var none = await GetOkAsync(SeedIds.ReaderLessClientId, "/subscriptions?api-version=2022-12-01", TestContext.Current.CancellationToken);
        var (hidden, hiddenBody) = await SendAsync(SeedIds.ReaderLessClientId, HttpMethod.Get, $"/subscriptions/{SeedIds.SubscriptionId}?api-version=2022-12-01", TestContext.Current.CancellationToken);
        var (wrongVersion, wrongBody) = await SendAsync(SeedIds.OperatorClientId, HttpMethod.Get, "/subscriptions?api-version=2099-01-01", TestContext.Current.CancellationToken);
        var tenants = await GetOkAsync(SeedIds.ReaderLessClientId, "/tenants?api-version=2022-12-01", TestContext.Current.CancellationToken);

        Assert.Equal(SeedIds.SubscriptionId, Assert.Single(mine["value"]!.AsArray())!["subscriptionId"]!.GetValue<string>());
        Assert.Equal(1, mine["count"]!["value"]!.GetValue<int>());
        Assert.Empty(none["value"]!.AsArray());
        Assert.Equal(404, hidden);
        Assert.Equal("SubscriptionNotFound", hiddenBody!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(400, wrongVersion);
        Assert.Equal("InvalidApiVersionParameter", wrongBody!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(SeedIds.TenantId, Assert.Single(tenants["value"]!.AsArray())!["tenantId"]!.GetValue<string>());
    }

    [Fact(Timeout = 60_000)]
    public async Task MetadataEndpoints_DescribeTheEmulatorAsACloud_WhoseLoginEndpointAndAudienceGiveATokenItsResourceManagerAccepts()
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = emulator.CreateClient();
        var clouds = await anonymous.GetFromJsonAsync<JsonNode>("/metadata/endpoints?api-version=2022-09-01", ct);
        var legacy = await anonymous.GetFromJsonAsync<JsonNode>("/metadata/endpoints?api-version=2015-01-01", ct);
        var cloud = Assert.Single(clouds!.AsArray())!;
        var origin = emulator.Origin.ToString().TrimEnd('/');

        Assert.Equal(origin, cloud["authentication"]!["loginEndpoint"]!.GetValue<string>());
        Assert.Equal($"{origin}/", cloud["resourceManager"]!.GetValue<string>());
        Assert.Equal($"{origin}/", legacy!["authentication"]!["loginEndpoint"]!.GetValue<string>());
        Assert.Equal(cloud["authentication"]!["audiences"]!.ToJsonString(), legacy["authentication"]!["audiences"]!.ToJsonString());

        // What a tool does with it: sign in at loginEndpoint for audiences[0], call resourceManager.
        using var added = await anonymous.PostAsJsonAsync($"/admin/identities/{SeedIds.OperatorClientId}/client-secrets", new { displayName = "cloud" }, ct);
        var secret = (await added.Content.ReadFromJsonAsync<JsonNode>(ct))!["secretText"]!.GetValue<string>();
        var credential = new ClientSecretCredential(SeedIds.TenantId, SeedIds.OperatorClientId, secret, new ClientSecretCredentialOptions
        {
            AuthorityHost = new Uri(cloud["authentication"]!["loginEndpoint"]!.GetValue<string>()),
            DisableInstanceDiscovery = true,
            Transport = emulator.CreateTransport(),
        });
        var audience = cloud["authentication"]!["audiences"]![0]!.GetValue<string>();
        var token = await credential.GetTokenAsync(new TokenRequestContext([audience + ".default"]), ct);
        using var arm = emulator.CreateClient();
        arm.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        using var response = await arm.GetAsync(new Uri(new Uri(cloud["resourceManager"]!.GetValue<string>()), "subscriptions?api-version=2022-12-01"), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonNode> GetOkAsync(string clientId, string pathAndQuery, CancellationToken ct)
    {
        var (status, body) = await SendAsync(clientId, HttpMethod.Get, pathAndQuery, ct);
        Assert.True(status == 200, $"GET {pathAndQuery}: {status} {body?.ToJsonString()}");
        return body!;
    }

    private async Task<(int Status, JsonNode? Body)> SendAsync(string clientId, HttpMethod method, string pathAndQuery, CancellationToken ct, object? content = null)
    {
        using var http = emulator.CreateClient();
        // Concatenated, not resolved against the origin: "//subscriptions/..." must reach the wire as written.
        using var request = new HttpRequestMessage(method, new Uri(emulator.Origin.ToString().TrimEnd('/') + pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await ArmClient.GetTokenAsync(emulator, clientId, "https://management.azure.com/", ct));
        if (content is not null)
        {
            request.Content = JsonContent.Create(content);
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return ((int)response.StatusCode, string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text));
    }
}
