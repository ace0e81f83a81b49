using System.Text.Json;
using AzureEmulator.Arm;

namespace AzureEmulator.Tests.Arm;

public sealed class PermissionEvaluatorTests
{
    private static readonly AuthorizationState Seed = JsonSerializer.Deserialize<AuthorizationState>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seed", "authorization.json")), AuthorizationState.SerializerOptions)!;

    private static RoleDefinitionRecord Role(string name) => Seed.RoleDefinitions.Single(d => d.RoleName == name);

    [Theory]
    [InlineData("*", "Microsoft.Authorization/roleAssignments/write", true)]
    [InlineData("*/read", "Microsoft.Authorization/roleAssignments/read", true)]
    [InlineData("*/read", "Microsoft.Authorization/roleAssignments/write", false)]
    [InlineData("Microsoft.Authorization/*", "microsoft.authorization/ROLEASSIGNMENTS/delete", true)]
    [InlineData("Microsoft.Authorization/*/Write", "Microsoft.Authorization/roleAssignments/write", true)]
    [InlineData("Microsoft.Authorization/*/Write", "Microsoft.Authorization/roleAssignments/writeX", false)]
    [InlineData("Microsoft.KeyVault/locations/*/read", "Microsoft.KeyVault/locations/deletedVaults/read", true)]
    [InlineData("Microsoft.Authorization/roleAssignments/read", "Microsoft.Authorization/roleAssignments/read/extra", false)]
    public void Matches_TreatsStarAsAnyRunIgnoringCase(string pattern, string action, bool expected) =>
        Assert.Equal(expected, PermissionEvaluator.Matches(pattern, action));

    [Theory]
    [InlineData("Owner", "Microsoft.Authorization/roleAssignments/write", true)]
    [InlineData("Contributor", "Microsoft.Authorization/roleAssignments/write", false)]
    [InlineData("Contributor", "Microsoft.Authorization/roleAssignments/delete", false)]
    [InlineData("Contributor", "Microsoft.Authorization/roleAssignments/read", true)]
    [InlineData("Reader", "Microsoft.Authorization/roleAssignments/read", true)]
    [InlineData("User Access Administrator", "Microsoft.Authorization/roleAssignments/delete", true)]
    [InlineData("Role Based Access Control Administrator", "Microsoft.Authorization/roleAssignments/write", true)]
    [InlineData("Role Based Access Control Administrator", "Microsoft.Authorization/roleDefinitions/write", false)]
    [InlineData("RoleViewer Reader", "Microsoft.Authorization/roleAssignments/read", true)]
    [InlineData("RoleViewer Reader", "Microsoft.Authorization/roleDefinitions/read", true)]
    [InlineData("RoleViewer Reader", "Microsoft.Authorization/roleAssignments/write", false)]
    [InlineData("RoleViewer Reader", "Microsoft.Resources/subscriptions/resourceGroups/read", false)]
    [InlineData("AcrPull", "Microsoft.Authorization/roleAssignments/read", false)]
    public void Grants_WithSeededRoles_AppliesActionsMinusNotActions(string role, string action, bool expected) =>
        Assert.Equal(expected, PermissionEvaluator.Grants(Role(role), action));

    [Fact]
    public void IsAllowed_UsesAssignmentsAtOrAboveTheScopeOnly()
    {
        var snapshot = new AuthorizationSnapshot(Seed);
        var app = Guid.Parse(SeedIds.ApiObjectId);
        var subscription = ArmScope.ForSubscription(SeedIds.SubscriptionId);
        const string Read = "Microsoft.Authorization/roleAssignments/read";

        Assert.True(PermissionEvaluator.IsAllowed(snapshot, app, ArmScope.Parse(subscription + "/resourceGroups/any"), Read));
        Assert.True(PermissionEvaluator.IsAllowed(snapshot, app, subscription, Read));
        Assert.False(PermissionEvaluator.IsAllowed(snapshot, app, ArmScope.Root, Read));
        Assert.False(PermissionEvaluator.IsAllowed(snapshot, Guid.Parse(SeedIds.ReaderLessObjectId), subscription, Read));
    }

    [Fact]
    public void Seed_HasTheCustomRoleAssignedToTheAppAtSubscriptionScope()
    {
        var custom = Role("RoleViewer Reader");
        var assignment = Seed.RoleAssignments.Single(a => a.RoleDefinitionId == custom.Id);

        Assert.Equal("CustomRole", custom.Type);
        Assert.Equal(["Microsoft.Authorization/roleAssignments/read", "Microsoft.Authorization/roleDefinitions/read"], Assert.Single(custom.Permissions).Actions);
        Assert.Equal([$"/subscriptions/{SeedIds.SubscriptionId}"], custom.AssignableScopes);
        Assert.Equal(Guid.Parse(SeedIds.ApiObjectId), assignment.PrincipalId);
        Assert.Equal($"/subscriptions/{SeedIds.SubscriptionId}", assignment.Scope);
    }

    [Theory]
    [InlineData("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635")]
    [InlineData("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c")]
    [InlineData("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7")]
    [InlineData("User Access Administrator", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9")]
    [InlineData("Role Based Access Control Administrator", "f58310d9-a9f6-439a-9e8d-f62e7b41a168")]
    [InlineData("AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d")]
    [InlineData("AcrPush", "8311e382-0749-4cb8-b61a-304f252e45ec")]
    [InlineData("Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb")]
    [InlineData("Monitoring Reader", "43d0d8ad-25c7-4714-9337-8ba259a9fe05")]
    [InlineData("Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6")]
    [InlineData("Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")]
    [InlineData("Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe")]
    public void Seed_HasBuiltInRolesWithTheirAzureIds(string name, string id)
    {
        var role = Role(name);

        Assert.Equal(Guid.Parse(id), role.Id);
        Assert.True(role.IsBuiltIn);
        Assert.Equal(["/"], role.AssignableScopes);
    }
}
