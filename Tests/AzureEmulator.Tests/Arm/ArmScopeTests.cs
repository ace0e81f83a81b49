using AzureEmulator.Arm;

namespace AzureEmulator.Tests.Arm;

public sealed class ArmScopeTests
{
    private const string Sub = "/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f";

    [Theory]
    [InlineData("subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f", Sub)]
    [InlineData("//subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/", Sub)]
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f//resourceGroups/rg", Sub + "/resourceGroups/rg")]
    [InlineData("/", "/")]
    [InlineData("", "/")]
    [InlineData("/providers/Microsoft.Management/managementGroups/mg1", "/providers/Microsoft.Management/managementGroups/mg1")]
    [InlineData(Sub + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/blobServices/default", Sub + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/blobServices/default")]
    public void TryParse_WhenShapeIsArms_Normalises(string text, string expected)
    {
        Assert.True(ArmScope.TryParse(text, out var scope));
        Assert.Equal(expected, scope.Value);
    }

    [Theory]
    [InlineData("/subscriptions/not-a-guid")]
    [InlineData(Sub + "/resourceGroups")]
    [InlineData(Sub + "/resourceGroups/rg/providers/Microsoft.Storage")]
    [InlineData("/tenants/x")]
    public void TryParse_WhenShapeIsUnknown_Fails(string text) => Assert.False(ArmScope.TryParse(text, out _));

    [Fact]
    public void IsAtOrAbove_ComparesSegmentsIgnoringCase()
    {
        var subscription = ArmScope.Parse(Sub);
        var group = ArmScope.Parse(Sub.ToUpperInvariant() + "/RESOURCEGROUPS/RG");
        var lookalike = ArmScope.Parse("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/resourceGroups/rg2");

        Assert.True(subscription.IsAtOrAbove(group));
        Assert.True(ArmScope.Root.IsAtOrAbove(group));
        Assert.False(group.IsAtOrAbove(subscription));
        Assert.False(ArmScope.Parse(Sub + "/resourceGroups/rg").IsAtOrAbove(lookalike));
        Assert.Equal(ArmScope.Parse(Sub + "/resourceGroups/rg"), group);
    }

    [Theory]
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/providers/Microsoft.Authorization/roleAssignments", Sub, "roleAssignments", null)]
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/resourceGroups/rg/providers/Microsoft.Web/sites/app/providers/microsoft.authorization/ROLEASSIGNMENTS/abc", Sub + "/resourceGroups/rg/providers/Microsoft.Web/sites/app", "roleAssignments", "abc")]
    [InlineData("/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7", "/", "roleDefinitions", "acdd72a7-3385-48ef-bd42-f606fba81ae7")]
    public void RequestTarget_TryParse_SplitsScopeCollectionAndName(string path, string scope, string collection, string? name)
    {
        Assert.True(ArmRequestTarget.TryParse(path, out var target));
        Assert.Equal(scope, target.Scope.Value);
        Assert.Equal(collection, target.Collection);
        Assert.Equal(name, target.Name);
    }

    [Theory]
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f")]
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/providers/Microsoft.Authorization/policyAssignments")]
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/providers/Microsoft.Authorization/roleAssignments/a/b")]
    public void RequestTarget_TryParse_WhenNotRoleAssignmentsOrDefinitions_Fails(string path) => Assert.False(ArmRequestTarget.TryParse(path, out _));
}
