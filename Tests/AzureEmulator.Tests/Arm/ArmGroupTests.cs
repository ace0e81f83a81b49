using Azure.Core;

namespace AzureEmulator.Tests.Arm;

/// <summary>
/// Rights that come through Entra groups: ARM's assignedTo() lists the assignments of the groups a principal belongs
/// to (nested too), RBAC honours them, and principalId eq lists only the principal's own.
/// </summary>
public sealed class ArmGroupTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private const string Reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    private const string RoleViewerReader = "4a6c8e0f-2b4d-4f6a-8c0e-1d3f5a7b9c2e";
    private static readonly string Assignments = $"{ArmClient.SubscriptionScope}/providers/Microsoft.Authorization/roleAssignments";

    [Fact(Timeout = 60_000)]
    public async Task AssignedTo_WhenRoleIsGrantedToANestedGroup_ListsItForTheMemberAndRbacHonoursIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var inner = Guid.NewGuid().ToString();
        var outer = Guid.NewGuid().ToString();
        await PutGroupAsync(inner, "sg-inner", [SeedIds.ReaderLessObjectId], HttpStatusCode.Created, ct);
        await PutGroupAsync(outer, "sg-outer", [inner], HttpStatusCode.Created, ct);
        var member = new ArmClient(emulator, SeedIds.ReaderLessClientId);
        var assignedTo = $"{Assignments}?api-version={ArmClient.ApiVersion}&$filter=assignedTo('{SeedIds.ReaderLessObjectId}')";

        var (before, _, _) = await member.GetAsync(assignedTo, ct);
        var assignment = $"{ArmClient.SubscriptionScope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version={ArmClient.ApiVersion}";
        var (created, _, _) = await new ArmClient(emulator, SeedIds.OperatorClientId).SendAsync(RequestMethod.Put, assignment,
            new { properties = new { roleDefinitionId = ArmClient.RoleId(RoleViewerReader), principalId = outer } }, ct);
        var (after, listed, _) = await member.GetAsync(assignedTo, ct);
        var (_, own, _) = await member.GetAsync($"{Assignments}?api-version={ArmClient.ApiVersion}&$filter=principalId eq '{SeedIds.ReaderLessObjectId}'", ct);

        Assert.Equal(403, before);
        Assert.Equal(201, created);
        Assert.Equal(200, after);
        var item = Assert.Single(listed!["value"]!.AsArray());
        Assert.Equal(outer, item!["properties"]!["principalId"]!.GetValue<string>());
        Assert.Equal("Group", item["properties"]!["principalType"]!.GetValue<string>());
        Assert.Empty(own!["value"]!.AsArray());
    }

    [Fact(Timeout = 60_000)]
    public async Task AssignedTo_WhenMemberLeavesTheGroup_NoLongerListsTheGroupsAssignment()
    {
        var ct = TestContext.Current.CancellationToken;
        var group = Guid.NewGuid().ToString();
        await PutGroupAsync(group, "sg-leavers", [SeedIds.ApiObjectId], HttpStatusCode.Created, ct);
        var (created, _, _) = await new ArmClient(emulator, SeedIds.OperatorClientId).SendAsync(RequestMethod.Put,
            $"{ArmClient.SubscriptionScope}/resourceGroups/rg-groups/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version={ArmClient.ApiVersion}",
            new { properties = new { roleDefinitionId = ArmClient.RoleId(Reader), principalId = group, principalType = "Group" } }, ct);
        var app = new ArmClient(emulator, SeedIds.ApiClientId);
        var assignedTo = $"{Assignments}?api-version={ArmClient.ApiVersion}&$filter=assignedTo('{SeedIds.ApiObjectId}')";

        var (_, whileMember, _) = await app.GetAsync(assignedTo, ct);
        await PutGroupAsync(group, "sg-leavers", [], HttpStatusCode.OK, ct);
        var (_, afterLeaving, _) = await app.GetAsync(assignedTo, ct);

        Assert.Equal(201, created);
        Assert.Contains(whileMember!["value"]!.AsArray(), a => a!["properties"]!["principalId"]!.GetValue<string>() == group);
        Assert.DoesNotContain(afterLeaving!["value"]!.AsArray(), a => a!["properties"]!["principalId"]!.GetValue<string>() == group);
    }

    [Fact(Timeout = 30_000)]
    public async Task PutAssignment_WhenTypeContradictsTheDirectory_Fails400UnmatchedPrincipalType()
    {
        var ct = TestContext.Current.CancellationToken;
        var group = Guid.NewGuid().ToString();
        await PutGroupAsync(group, "sg-typed", [], HttpStatusCode.Created, ct);

        var (status, body, _) = await new ArmClient(emulator, SeedIds.OperatorClientId).SendAsync(RequestMethod.Put,
            $"{ArmClient.SubscriptionScope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version={ArmClient.ApiVersion}",
            new { properties = new { roleDefinitionId = ArmClient.RoleId(Reader), principalId = group, principalType = "ServicePrincipal" } }, ct);

        Assert.Equal(400, status);
        Assert.Equal("UnmatchedPrincipalType", body!["error"]!["code"]!.GetValue<string>());
    }

    public static TheoryData<string?, string, string> InvalidGroups => new()
    {
        { "not-a-guid", "sg", "is not an object id" },
        { SeedIds.ApiObjectId, "sg", "belongs to a service principal" },
        { null, "", "displayName is required" },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(InvalidGroups))]
    public async Task PutGroup_WhenInvalid_Answers400SayingWhy(string? objectId, string displayName, string expected)
    {
        using var client = emulator.CreateClient();

        var response = await client.PutAsJsonAsync($"/admin/groups/{objectId ?? Guid.NewGuid().ToString()}", new { displayName, members = Array.Empty<string>() }, TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonNode>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task PutGroup_WhenMemberIsUnknown_Answers400NamingIt()
    {
        var unknown = Guid.NewGuid().ToString();
        using var client = emulator.CreateClient();

        var response = await client.PutAsJsonAsync($"/admin/groups/{Guid.NewGuid()}", new { displayName = "sg-unknown", members = new[] { unknown } }, TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonNode>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(unknown, problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task DeleteGroup_RemovesItFromTheDirectoryAndFromGroupsItBelongedTo()
    {
        var ct = TestContext.Current.CancellationToken;
        var child = Guid.NewGuid().ToString();
        var parent = Guid.NewGuid().ToString();
        await PutGroupAsync(child, "sg-child", [], HttpStatusCode.Created, ct);
        await PutGroupAsync(parent, "sg-parent", [child], HttpStatusCode.Created, ct);
        using var client = emulator.CreateClient();

        var deleted = await client.DeleteAsync(new Uri($"/admin/groups/{child}", UriKind.Relative), ct);
        var again = await client.DeleteAsync(new Uri($"/admin/groups/{child}", UriKind.Relative), ct);
        var directory = await client.GetFromJsonAsync<JsonNode>("/admin/directory", ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var groups = directory!["directory"]!["groups"]!.AsArray();
        Assert.DoesNotContain(groups, g => g!["objectId"]!.GetValue<string>() == child);
        Assert.Empty(groups.Single(g => g!["objectId"]!.GetValue<string>() == parent)!["members"]!.AsArray());
    }

    private async Task PutGroupAsync(string objectId, string displayName, string[] members, HttpStatusCode expected, CancellationToken ct)
    {
        using var client = emulator.CreateClient();
        var response = await client.PutAsJsonAsync($"/admin/groups/{objectId}", new { displayName, members }, ct);
        Assert.True(response.StatusCode == expected, $"PUT /admin/groups/{objectId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }
}
