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
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/providers/Microsoft.Authorization/roleAssignments", "GET", "roleAssignments.list", Sub, null)]
    [InlineData("//subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/providers/Microsoft.Authorization/roleAssignments/abc", "GET", "roleAssignments.get", Sub, "abc")]
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/resourceGroups/rg/providers/Microsoft.Web/sites/app/providers/microsoft.authorization/ROLEASSIGNMENTS/abc", "put", "roleAssignments.create", Sub + "/resourceGroups/rg/providers/Microsoft.Web/sites/app", "abc")]
    [InlineData("/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7", "DELETE", "roleDefinitions.delete", "/", "acdd72a7-3385-48ef-bd42-f606fba81ae7")]
    [InlineData("/SUBSCRIPTIONS/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f", "GET", "subscriptions.get", "/", "3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f")]
    [InlineData("/metadata/endpoints/", "GET", "metadata.endpoints", "/", null)]
    public void Operations_Find_MatchesTheOperationWhateverTheSlashesAndCase(string path, string method, string operation, string scope, string? name)
    {
        var match = ArmApi.Operations.Find(ArmRouteTable.Segments(path), method, out _);

        Assert.NotNull(match);
        Assert.Equal(operation, match.Route.Operation);
        Assert.Equal(scope, match.Scope.Value);
        Assert.Equal(name, match.Name);
    }

    [Theory]
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/providers/Microsoft.Authorization/policyAssignments", false)]
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/providers/Microsoft.Authorization/roleAssignments/a/b", false)]
    [InlineData("/subscriptions/not-a-guid/providers/Microsoft.Authorization/roleAssignments", false)]
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/providers/Microsoft.Authorization/roleAssignments", true)]
    public void Operations_Find_WhenNoOperationServesThePathAndMethod_ReturnsNull(string path, bool pathKnown)
    {
        Assert.Null(ArmApi.Operations.Find(ArmRouteTable.Segments(path), "POST", out var known));
        Assert.Equal(pathKnown, known);
    }

    [Theory]
    [InlineData(null, "MissingApiVersionParameter")]
    [InlineData("2022-04", "InvalidApiVersionParameter")]
    [InlineData("latest", "InvalidApiVersionParameter")]
    [InlineData("2099-01-01", "InvalidResourceType")]
    [InlineData("2022-05-01-preview", "InvalidResourceType")]
    [InlineData("2022-04-01", null)]
    [InlineData("2015-07-01", null)]
    [InlineData("2020-04-01-PREVIEW", null)]
    public void CheckApiVersion_ForRoleAssignments_AnswersAsArmDoesForAProviderType(string? apiVersion, string? code) =>
        Assert.Equal(code, ArmRouteTable.CheckApiVersion(apiVersion, ArmApi.RoleAssignments)?.Code);

    [Fact]
    public void CheckApiVersion_ForArmsOwnTypes_NamesTheSupportedVersionsInInvalidApiVersionParameter()
    {
        var error = ArmRouteTable.CheckApiVersion("2099-01-01", SubscriptionOperations.Subscriptions);

        Assert.Equal("InvalidApiVersionParameter", error?.Code);
        Assert.Contains("2022-12-01", error!.Message, StringComparison.Ordinal);
    }
}
