using AzureEmulator.Arm;

namespace AzureEmulator.Tests.Arm;

public sealed class RoleAssignmentFilterTests
{
    private static readonly Guid Principal = Guid.Parse(SeedIds.ApiObjectId);

    [Theory]
    [InlineData("atScope()", true, false, false)]
    [InlineData("assignedTo('c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f')", false, true, false)]
    [InlineData("assignedTo('{c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f}')", false, true, false)]
    [InlineData("principalId eq 'c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f'", false, false, true)]
    [InlineData("atScope() and assignedTo('{c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f}')", true, true, false)]
    [InlineData("ATSCOPE() AND assignedTo('c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f')", true, true, false)]
    [InlineData("  atScope( )  and  assignedTo( 'c2d4e6f81a3b4c5d9e7f8a9b0c1d2e3f' ) ", true, true, false)]
    public void Parse_WhenFormIsOneArmAccepts_ReadsEveryTerm(string text, bool atScope, bool assignedTo, bool principalId)
    {
        var filter = RoleAssignmentFilter.Parse(text);

        Assert.NotNull(filter);
        Assert.Equal(atScope, filter.AtScope);
        Assert.Equal(assignedTo ? Principal : null, filter.AssignedTo);
        Assert.Equal(principalId ? Principal : null, filter.PrincipalId);
    }

    [Theory]
    [InlineData("roleName eq 'Reader'")]
    [InlineData("assignedTo('not-a-guid')")]
    [InlineData("atScope() or assignedTo('c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f')")]
    [InlineData("atScope() and atScope()")]
    [InlineData("principalId eq c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f")]
    [InlineData("atScope() and principalId eq 'c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f'")]
    [InlineData("principalId eq 'c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f' and assignedTo('c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f')")]
    public void Parse_WhenFormIsUnsupported_ReturnsNull(string text) => Assert.Null(RoleAssignmentFilter.Parse(text));

    [Fact]
    public void Parse_WhenEmpty_ReturnsNoFilter() => Assert.Equal(RoleAssignmentFilter.None, RoleAssignmentFilter.Parse(null));

    [Fact]
    public void ToString_WhenParsedAgain_GivesTheSameFilter()
    {
        var filter = RoleAssignmentFilter.Parse("atScope()+and+assignedTo('{c2d4e6f8-1a3b-4c5d-9e7f-8a9b0c1d2e3f}')".Replace('+', ' '))!;

        Assert.Equal(filter, RoleAssignmentFilter.Parse(filter.ToString()));
    }

    [Theory]
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f", true, true)]
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/resourceGroups/rg", true, true)]
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st", false, true)]
    [InlineData("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/resourceGroups/other", false, false)]
    public void Matches_ForAssignmentsAroundAResourceGroup_FollowsArmInheritance(string assignmentScope, bool listedWithAtScope, bool listedWithoutFilter)
    {
        var requested = ArmScope.Parse("/subscriptions/3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f/resourceGroups/RG");
        var at = ArmScope.Parse(assignmentScope);

        Assert.Equal(listedWithAtScope, RoleAssignmentFilter.Parse("atScope()")!.Matches(requested, at, Principal));
        Assert.Equal(listedWithoutFilter, RoleAssignmentFilter.None.Matches(requested, at, Principal));
    }

    [Fact]
    public void Matches_WhenPrincipalDiffers_IsFalse()
    {
        var scope = ArmScope.ForSubscription(SeedIds.SubscriptionId);
        var filter = RoleAssignmentFilter.Parse($"assignedTo('{SeedIds.OperatorObjectId}')")!;

        Assert.False(filter.Matches(scope, scope, Principal));
    }

    [Theory]
    [InlineData("roleName eq 'Reader'", "Reader", null)]
    [InlineData("type eq 'CustomRole'", null, "CustomRole")]
    [InlineData("roleName eq 'Storage Blob Data Reader' and type eq 'BuiltInRole'", "Storage Blob Data Reader", "BuiltInRole")]
    [InlineData("roleName eq 'Read and write' and type eq 'CustomRole'", "Read and write", "CustomRole")]
    [InlineData("roleName eq 'O''Brien'", "O'Brien", null)]
    public void RoleDefinitionFilter_Parse_ReadsNameAndType(string text, string? roleName, string? type)
    {
        var filter = RoleDefinitionFilter.Parse(text);

        Assert.Equal(new RoleDefinitionFilter(roleName, type), filter);
    }

    [Fact]
    public void RoleDefinitionFilter_Parse_AtScopeAndBelowAlone_IsAccepted() =>
        Assert.Equal(new RoleDefinitionFilter(null, null, AtScopeAndBelow: true), RoleDefinitionFilter.Parse(" atScopeAndBelow( ) "));

    [Theory]
    [InlineData("type eq 'Something'")]
    [InlineData("roleName ne 'Reader'")]
    [InlineData("atScopeAndBelow() and roleName eq 'Reader'")]
    public void RoleDefinitionFilter_Parse_WhenUnsupported_ReturnsNull(string text) => Assert.Null(RoleDefinitionFilter.Parse(text));
}
