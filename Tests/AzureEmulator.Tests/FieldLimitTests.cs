using Azure.Core;
using AzureEmulator.Arm;
using AzureEmulator.Identity;
using AzureEmulator.Tests.Arm;

namespace AzureEmulator.Tests;

/// <summary>
/// Every text and list the admin and ARM write endpoints store has a cap; going over it is a 400 that names the field
/// and the limit (ProblemDetails for admin routes, ARM's error body for ARM), and a value at the cap is accepted.
/// </summary>
public sealed class FieldLimitTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private const string Reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    private const int Cap = FederatedCredentialRules.MaxFieldLength;

    public static TheoryData<string, string, string, string, string, string> OverLongFederatedCredentials => new()
    {
        // name, issuer, subject, audience, description, expected words in the detail
        { "ab", "{clusterIssuer}", "system:serviceaccount:a:b", "api://AzureADTokenExchange", "", "3-120" },
        { new string('n', 121), "{clusterIssuer}", "system:serviceaccount:a:b", "api://AzureADTokenExchange", "", "3-120" },
        { "long-issuer", "https://issuer.example.test/" + new string('i', Cap), "system:serviceaccount:a:b", "api://AzureADTokenExchange", "", $"issuer must be at most {Cap}" },
        { "long-subject", "{clusterIssuer}", new string('s', Cap + 1), "api://AzureADTokenExchange", "", $"subject must be at most {Cap}" },
        { "long-audience", "{clusterIssuer}", "system:serviceaccount:a:b", new string('a', Cap + 1), "", $"at most {Cap} characters" },
        { "long-description", "{clusterIssuer}", "system:serviceaccount:a:b", "api://AzureADTokenExchange", new string('d', Cap + 1), $"description must be at most {Cap}" },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(OverLongFederatedCredentials))]
    public async Task PutFederatedCredential_WhenAFieldIsTooLong_Answers400NamingFieldAndLimit(
        string name, string issuer, string subject, string audience, string description, string expected)
    {
        using var client = emulator.CreateClient();

        using var response = await client.PutAsJsonAsync(
            $"/admin/identities/{SeedIds.OperatorClientId}/federated-credentials/{name}",
            new { issuer, subject, audiences = new[] { audience }, description },
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await DetailAsync(response), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task PutFederatedCredential_WhenEveryFieldIsAtItsCap_IsAccepted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = emulator.CreateClient();
        var name = "c" + new string('x', 119);

        using var response = await client.PutAsJsonAsync(
            $"/admin/identities/{SeedIds.OperatorClientId}/federated-credentials/{name}",
            new { issuer = "{clusterIssuer}", subject = new string('s', Cap), audiences = new[] { new string('a', Cap) }, description = new string('d', Cap) },
            ct);
        using var deleted = await client.DeleteAsync(new Uri($"/admin/identities/{SeedIds.OperatorClientId}/federated-credentials/{name}", UriKind.Relative), ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task PutGroup_WhenDisplayNameOrMembersGoOverTheCap_Answers400NamingFieldAndLimit()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = emulator.CreateClient();
        var tooMany = Enumerable.Range(0, DirectoryStore.MaxGroupMembers + 1).Select(_ => Guid.NewGuid().ToString()).ToArray();

        using var longName = await client.PutAsJsonAsync($"/admin/groups/{Guid.NewGuid()}",
            new { displayName = new string('g', DirectoryStore.MaxGroupDisplayName + 1), members = Array.Empty<string>() }, ct);
        using var longList = await client.PutAsJsonAsync($"/admin/groups/{Guid.NewGuid()}", new { displayName = "sg-big", members = tooMany }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, longName.StatusCode);
        Assert.Contains($"displayName is required and must be at most {DirectoryStore.MaxGroupDisplayName} characters", await DetailAsync(longName), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, longList.StatusCode);
        var detail = await DetailAsync(longList);
        Assert.Contains($"members must list at most {DirectoryStore.MaxGroupMembers}", detail, StringComparison.Ordinal);
        // One line, not a thousand "unknown member" complaints.
        Assert.True(detail.Length < 200, detail);
    }

    [Fact(Timeout = 60_000)]
    public async Task AdminToken_WhenResourceIsTooLong_Answers400()
    {
        using var client = emulator.CreateClient();

        using var response = await client.PostAsJsonAsync("/admin/tokens",
            new { clientId = SeedIds.OperatorClientId, resource = "https://" + new string('r', Cap) }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"resource must be at most {Cap}", await DetailAsync(response), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task BulkAssignments_WhenPrincipalTypeIsUnknown_Answers400ListingTheAcceptedValues()
    {
        using var client = emulator.CreateClient();

        using var response = await client.PostAsJsonAsync("/admin/arm/bulk-assignments",
            new { count = 1, scope = ArmClient.SubscriptionScope, principalType = new string('p', 10_000) }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = await DetailAsync(response);
        Assert.Contains("principalType", detail, StringComparison.Ordinal);
        Assert.Contains("ServicePrincipal", detail, StringComparison.Ordinal);
        Assert.True(detail.Length < 400, "the detail must not echo the whole value");
    }

    public static TheoryData<string?, string?, string?, string, string> InvalidAssignmentFields => new()
    {
        // description, condition, conditionVersion, code, expected words in the message
        { new string('d', RoleAssignmentValidation.MaxDescriptionLength + 1), null, null, "InvalidRequestContent", $"'description' is {RoleAssignmentValidation.MaxDescriptionLength + 1} characters long; at most {RoleAssignmentValidation.MaxDescriptionLength}" },
        { null, new string('c', RoleAssignmentValidation.MaxConditionLength + 1), "2.0", "InvalidRequestContent", $"'condition' is {RoleAssignmentValidation.MaxConditionLength + 1} characters long; at most {RoleAssignmentValidation.MaxConditionLength}" },
        { null, "@Resource[x] StringEquals 'y'", "1.0", "InvalidConditionVersion", "only accepted value is '2.0'" },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(InvalidAssignmentFields))]
    public async Task PutAssignment_WhenAFieldIsTooLongOrUnknown_Answers400InArmShapeNamingTheProperty(
        string? description, string? condition, string? conditionVersion, string code, string expected)
    {
        var body = new
        {
            properties = new
            {
                roleDefinitionId = ArmClient.RoleId(Reader),
                principalId = SeedIds.ReaderLessObjectId,
                principalType = "ServicePrincipal",
                description,
                condition,
                conditionVersion,
            },
        };

        var (status, error, _) = await new ArmClient(emulator, SeedIds.OperatorClientId).SendAsync(RequestMethod.Put, AssignmentUrl(), body, TestContext.Current.CancellationToken);

        Assert.Equal((400, code), (status, error!["error"]!["code"]!.GetValue<string>()));
        Assert.Contains(expected, error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task PutAssignment_WhenPrincipalTypeIsNotArmsEnumeration_Answers400ListingTheAcceptedValues()
    {
        var body = new { properties = new { roleDefinitionId = ArmClient.RoleId(Reader), principalId = SeedIds.ReaderLessObjectId, principalType = "Robot" } };

        var (status, error, _) = await new ArmClient(emulator, SeedIds.OperatorClientId).SendAsync(RequestMethod.Put, AssignmentUrl(), body, TestContext.Current.CancellationToken);

        Assert.Equal(400, status);
        Assert.Contains("'principalType' has the value 'Robot'; accepted values are User, Group, ServicePrincipal", error!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task PutAssignment_WhenDescriptionIsAtItsCap_IsCreated()
    {
        var ct = TestContext.Current.CancellationToken;
        var arm = new ArmClient(emulator, SeedIds.OperatorClientId);
        var url = AssignmentUrl();
        var description = new string('d', RoleAssignmentValidation.MaxDescriptionLength);
        var body = new { properties = new { roleDefinitionId = ArmClient.RoleId(Reader), principalId = SeedIds.ReaderLessObjectId, principalType = "ServicePrincipal", description } };

        var (status, created, _) = await arm.SendAsync(RequestMethod.Put, url, body, ct);
        await arm.SendAsync(RequestMethod.Delete, url, null, ct);

        Assert.Equal(201, status);
        Assert.Equal(description, created!["properties"]!["description"]!.GetValue<string>());
    }

    // A resource group of its own per call: the same principal and role may be assigned once per scope.
    private static string AssignmentUrl() =>
        $"{ArmClient.SubscriptionScope}/resourceGroups/rg-limits-{Guid.NewGuid():N}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version={ArmClient.ApiVersion}";

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonNode>(TestContext.Current.CancellationToken))!["detail"]!.GetValue<string>();
}
