using RoleViewer.Api.RoleAssignments;

namespace RoleViewer.Api.Tests;

public sealed class ScopeInfoTests
{
    [Fact]
    public void Parse_Subscription() =>
        Assert.Equal(new ScopeInfo("subscription", "sub1", null, null, null), ScopeInfo.Parse("/subscriptions/sub1"));

    [Fact]
    public void Parse_ResourceGroup() =>
        Assert.Equal(new ScopeInfo("resourceGroup", "sub1", "rg1", null, null), ScopeInfo.Parse("/subscriptions/sub1/resourceGroups/rg1"));

    [Fact]
    public void Parse_Resource() =>
        Assert.Equal(new ScopeInfo("resource", "sub1", "rg1", "Microsoft.KeyVault/vaults", "kv1"),
            ScopeInfo.Parse("/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/kv1"));

    [Fact]
    public void Parse_ChildResource_JoinsTypesAndTakesTheLastName() =>
        Assert.Equal(new ScopeInfo("resource", "sub1", "rg1", "Microsoft.Storage/storageAccounts/blobServices", "default"),
            ScopeInfo.Parse("/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default"));

    [Fact]
    public void Parse_ManagementGroup() =>
        Assert.Equal(new ScopeInfo("managementGroup", null, null, null, "mg1"),
            ScopeInfo.Parse("/providers/Microsoft.Management/managementGroups/mg1"));
}
