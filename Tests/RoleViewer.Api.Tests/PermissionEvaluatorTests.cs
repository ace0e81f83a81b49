using RoleViewer.Api.Arm;
using RoleViewer.Api.Doctor;
using RoleViewer.Api.Identity;
using RoleViewer.Api.Permissions;
using RoleViewer.Api.RoleAssignments;
using RoleViewer.Contracts;

namespace RoleViewer.Api.Tests;

/// <summary>ARM's matching and decision rules, with the actions of real built-in roles (as Azure publishes them).</summary>
public sealed class PermissionEvaluatorTests
{
    private static readonly string Sub = "/subscriptions/" + TestIds.SubscriptionId;
    private static readonly string Rg = Sub + "/resourceGroups/rg-app";
    private static readonly string Vm = Rg + "/providers/Microsoft.Compute/virtualMachines/vm1";

    // Real built-in roles, actions as published (abridged where noted).
    private static readonly RolePermissionData ReaderRole = new(["*/read"], [], [], []);
    private static readonly RolePermissionData ContributorRole = new(["*"],
        ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action",
         "Microsoft.Blueprint/blueprintAssignments/write", "Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action"], [], []);
    private static readonly RolePermissionData VirtualMachineContributor = new(
        ["Microsoft.Authorization/*/read", "Microsoft.Compute/availabilitySets/*", "Microsoft.Compute/locations/*", "Microsoft.Compute/virtualMachines/*",
         "Microsoft.Compute/virtualMachineScaleSets/*", "Microsoft.Network/networkInterfaces/*", "Microsoft.Resources/subscriptions/resourceGroups/read"], [], [], []);
    private static readonly RolePermissionData StorageBlobDataReader = new(
        ["Microsoft.Storage/storageAccounts/blobServices/containers/read", "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"],
        [], ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"], []);
    private static readonly RolePermissionData KeyVaultReader = new(
        ["Microsoft.Authorization/*/read", "Microsoft.KeyVault/checkNameAvailability/read", "Microsoft.KeyVault/deletedVaults/read",
         "Microsoft.KeyVault/locations/*/read", "Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/operations/read"],
        [], ["Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"], []);
    private static readonly RolePermissionData AcrPull = new(["Microsoft.ContainerRegistry/registries/pull/read"], [], [], []);
    private static readonly RolePermissionData DevTestLabsUser = new(
        ["Microsoft.Compute/virtualMachines/read", "Microsoft.Compute/virtualMachines/start/action", "Microsoft.Compute/virtualMachines/restart/action"], [], [], []);
    private static readonly RolePermissionData RbacAdministrator = new(
        ["Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete", "*/read", "Microsoft.Support/*"], [], [], []);
    private static readonly RolePermissionData RoleViewerReader = new(
        ["Microsoft.Authorization/roleAssignments/read", "Microsoft.Authorization/roleDefinitions/read"], [], [], []);

    [Theory]
    [InlineData("*", "Microsoft.Compute/virtualMachines/read", true)]
    [InlineData("*/read", "Microsoft.Compute/virtualMachines/read", true)]
    [InlineData("*/read", "microsoft.compute/VIRTUALMACHINES/READ", true)]
    [InlineData("*/read", "Microsoft.Compute/virtualMachines/write", false)]
    [InlineData("*/read", "Microsoft.Compute/virtualMachines/readX", false)]
    [InlineData("Microsoft.Compute/*", "Microsoft.Compute/virtualMachines/extensions/read", true)]
    [InlineData("Microsoft.Compute/*", "Microsoft.ComputeSchedule/actions/read", false)]
    [InlineData("Microsoft.Compute/virtualMachines/*", "Microsoft.Compute/virtualMachines/start/action", true)]
    [InlineData("Microsoft.Compute/virtualMachines/*", "Microsoft.Compute/virtualMachineScaleSets/read", false)]
    [InlineData("Microsoft.Authorization/*/Write", "Microsoft.Authorization/roleAssignments/write", true)]
    [InlineData("Microsoft.Authorization/*/Write", "Microsoft.Authorization/policies/audit/write", true)]
    [InlineData("Microsoft.Authorization/*/read", "Microsoft.Authorization/roleAssignments/read", true)]
    [InlineData("Microsoft.KeyVault/locations/*/read", "Microsoft.KeyVault/locations/deletedVaults/read", true)]
    [InlineData("Microsoft.KeyVault/locations/*/read", "Microsoft.KeyVault/locations/read", false)]
    [InlineData("Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/secrets/readMetadata/action", false)]
    [InlineData("Microsoft.Storage/*/blobs/*", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", true)]
    [InlineData("Microsoft.Web/sites/*/action", "Microsoft.Web/sites/slots/restart/action", true)]
    [InlineData("Microsoft.Authorization/roleAssignments/read", "Microsoft.Authorization/roleAssignments/read/extra", false)]
    [InlineData("Microsoft.Authorization/roleAssignments/read", "Microsoft.Authorization/roleAssignments", false)]
    [InlineData("**", "Microsoft.Compute/virtualMachines/read", true)]
    public void Matches_TreatsStarAsAnyRunAcrossSegmentsIgnoringCase(string pattern, string action, bool expected) =>
        Assert.Equal(expected, ActionPattern.Matches(pattern, action));

    public static TheoryData<string, string, string, string, bool, string?> Decisions => new()
    {
        // role, assigned at, action, checked at, allowed, the notAction that removes it
        { "Reader", Sub, "Microsoft.Compute/virtualMachines/read", Vm, true, null },
        { "Reader", Sub, "Microsoft.Compute/virtualMachines/start/action", Vm, false, null },
        { "Reader", Rg, "Microsoft.Compute/virtualMachines/read", Sub, false, null },
        { "Reader", Vm, "Microsoft.Compute/virtualMachines/read", Vm, true, null },
        { "Reader", Vm, "Microsoft.Compute/virtualMachines/read", Rg + "/providers/Microsoft.Compute/virtualMachines/vm2", false, null },
        { "Contributor", Sub, "Microsoft.Compute/virtualMachines/delete", Vm, true, null },
        { "Contributor", Sub, "Microsoft.Authorization/roleAssignments/write", Rg, false, "Microsoft.Authorization/*/Write" },
        { "Contributor", Sub, "microsoft.authorization/roleassignments/DELETE", Rg, false, "Microsoft.Authorization/*/Delete" },
        { "Contributor", Sub, "Microsoft.Authorization/roleAssignments/read", Rg, true, null },
        { "Contributor", Sub, "Microsoft.Compute/galleries/share/action", Rg, false, "Microsoft.Compute/galleries/share/action" },
        { "Virtual Machine Contributor", Rg, "Microsoft.Compute/virtualMachines/restart/action", Vm, true, null },
        { "Virtual Machine Contributor", Rg, "Microsoft.Storage/storageAccounts/read", Rg, false, null },
        { "Storage Blob Data Reader", Sub, "Microsoft.Storage/storageAccounts/blobServices/containers/read", Rg, true, null },
        { "Storage Blob Data Reader", Sub, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", Rg, false, null },
        { "Key Vault Reader", Sub, "Microsoft.KeyVault/vaults/keys/read", Rg, true, null },
        { "Key Vault Reader", Sub, "Microsoft.KeyVault/vaults/accessPolicies/read", Rg, true, null },
        { "AcrPull", Rg, "Microsoft.ContainerRegistry/registries/pull/read", Rg + "/providers/Microsoft.ContainerRegistry/registries/cr1", true, null },
        { "AcrPull", Rg, "Microsoft.ContainerRegistry/registries/push/write", Rg, false, null },
        { "RoleViewer Reader", Sub, "Microsoft.Authorization/roleAssignments/read", Sub, true, null },
        { "RoleViewer Reader", Sub, "Microsoft.Compute/virtualMachines/read", Sub, false, null },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void Check_WithOneBuiltInRole_DecidesAsArm(string role, string assignedAt, string action, string checkedAt, bool allowed, string? removedBy)
    {
        var listing = Listing((role, assignedAt, TestIds.ObjectId, null));

        var result = PermissionEvaluator.Check(listing, Scope(checkedAt), action, PermissionKinds.Action);

        Assert.Equal(allowed, result.Allowed);
        Assert.Equal(allowed ? role : null, result.GrantedBy?.RoleName);
        Assert.Equal(removedBy, result.DeniedBy.SingleOrDefault()?.NotPattern);
        Assert.StartsWith(allowed ? "Allowed:" : "Denied:", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Storage Blob Data Reader", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", true)]
    [InlineData("Storage Blob Data Reader", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write", false)]
    [InlineData("Key Vault Reader", "Microsoft.KeyVault/vaults/secrets/readMetadata/action", true)]
    [InlineData("Key Vault Reader", "Microsoft.KeyVault/vaults/secrets/getSecret/action", false)]
    [InlineData("Owner", "Microsoft.KeyVault/vaults/secrets/getSecret/action", false)]
    public void Check_DataAction_UsesDataActionsOnly(string role, string action, bool allowed)
    {
        var result = PermissionEvaluator.Check(Listing((role, Sub, TestIds.ObjectId, null)), Scope(Rg), action, PermissionKinds.DataAction);

        Assert.Equal(allowed, result.Allowed);
        Assert.Equal(PermissionKinds.DataAction, result.Kind);
    }

    [Fact]
    public void Check_NotActionsOfOneRole_DoNotRemoveWhatAnotherRoleGrants()
    {
        var listing = Listing(("Contributor", Sub, TestIds.ObjectId, null), ("RoleViewer Reader", Sub, TestIds.ObjectId, null));

        var write = PermissionEvaluator.Check(listing, Scope(Rg), "Microsoft.Authorization/roleAssignments/write", PermissionKinds.Action);
        var read = PermissionEvaluator.Check(listing, Scope(Rg), "Microsoft.Authorization/roleAssignments/read", PermissionKinds.Action);

        Assert.False(write.Allowed);
        Assert.Equal("Contributor", Assert.Single(write.DeniedBy).RoleName);
        Assert.True(read.Allowed);
        Assert.Empty(read.DeniedBy);
    }

    [Fact]
    public void Check_ThroughAGroup_SaysSoAndPrefersAnUnconditionalGrant()
    {
        const string group = "11111111-2222-4333-8444-555555555555";
        var listing = Listing(("Reader", Vm, TestIds.ObjectId, "@Resource[Microsoft.Compute/virtualMachines:name] StringEquals 'vm1'"), ("Reader", Sub, group, null));

        var result = PermissionEvaluator.Check(listing, Scope(Vm), "Microsoft.Compute/virtualMachines/read", PermissionKinds.Action);

        Assert.True(result.Allowed);
        Assert.True(result.GrantedBy!.ViaGroup);
        Assert.Null(result.GrantedBy.Condition);
        Assert.Empty(result.Warnings);
        Assert.Contains("to a group the identity is in", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OnlyAConditionalGrant_IsAllowedWithAWarning()
    {
        var listing = Listing(("Storage Blob Data Reader", Rg, TestIds.ObjectId, "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'"));

        var result = PermissionEvaluator.Check(listing, Scope(Rg), "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", PermissionKinds.DataAction);

        Assert.True(result.Allowed);
        Assert.NotNull(result.GrantedBy!.Condition);
        Assert.Contains("does not evaluate", Assert.Single(result.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Effective_UnitesTheRolesAtAndAboveTheScopeAndKeepsEachBlock()
    {
        var listing = Listing(("Reader", Sub, TestIds.ObjectId, null), ("Contributor", Rg, TestIds.ObjectId, null), ("AcrPull", Vm, TestIds.ObjectId, null),
            ("Storage Blob Data Reader", Sub, TestIds.ObjectId, null));

        var atRg = PermissionEvaluator.Effective(listing, Scope(Rg));

        Assert.Equal(["Reader", "Contributor", "Storage Blob Data Reader"], atRg.Roles.Select(r => r.RoleName));
        Assert.Equal(["*/read", "*", "Microsoft.Storage/storageAccounts/blobServices/containers/read", "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"], atRg.Actions);
        Assert.Contains("Microsoft.Authorization/*/Write", atRg.NotActions);
        Assert.Equal(["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"], atRg.DataActions);
        Assert.Equal("resourceGroup", atRg.ScopeKind);
    }

    [Fact]
    public void Check_WhenARoleDefinitionIsGone_WarnsAndGrantsNothing()
    {
        var listing = Listing(("Deleted role", Sub, TestIds.ObjectId, null));

        var result = PermissionEvaluator.Check(listing, Scope(Sub), "Microsoft.Compute/virtualMachines/read", PermissionKinds.Action);

        Assert.False(result.Allowed);
        Assert.Contains("no longer knows", Assert.Single(result.Warnings), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> InvalidScopes => new()
    {
        { "", "empty" },
        { "/resourceGroups/rg", "does not start with /subscriptions/" },
        { "/subscriptions/not-a-guid", "not a GUID" },
        { Sub + "/resourcegroups", "names no resource group" },
        { Sub + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines", "incomplete" },
        { Sub + "/locations/westeurope", "expected resourceGroups" },
    };

    [Theory]
    [MemberData(nameof(InvalidScopes))]
    public void ScopePath_RejectsWhatArmWouldNotAcceptSayingWhy(string scope, string expected)
    {
        Assert.False(ScopePath.TryParse(scope, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Microsoft.Compute/virtualMachines/read", "Reader")]
    [InlineData("Microsoft.ContainerRegistry/registries/pull/read", "AcrPull")]
    [InlineData("Microsoft.Compute/virtualMachines/start/action", "DevTest Labs User")]
    [InlineData("Microsoft.Compute/virtualMachines/delete", "Virtual Machine Contributor")]
    [InlineData("Microsoft.Authorization/roleAssignments/write", "Role Based Access Control Administrator")]
    [InlineData("Microsoft.Authorization/roleDefinitions/write", "Owner")]
    public void SmallestBuiltInRole_IsTheOneGrantingFewestKnownOperations(string action, string expected)
    {
        string[] builtIns = ["Owner", "Contributor", "Reader", "Virtual Machine Contributor", "DevTest Labs User", "Role Based Access Control Administrator",
            "AcrPull", "Key Vault Reader", "Storage Blob Data Reader"];
        var roles = builtIns.Select(name => Definition(name)!).ToList();

        Assert.Equal(expected, BuiltInRoleAdvisor.Smallest(roles, action)?.Properties.RoleName);
    }

    private static ScopePath Scope(string scope) =>
        ScopePath.TryParse(scope, out var parsed, out var problem) ? parsed : throw new ArgumentException(problem);

    private static RoleDefinitionData? Definition(string role) => role switch
    {
        "Owner" => Role(role, new(["*"], [], [], [])),
        "Reader" => Role(role, ReaderRole),
        "Contributor" => Role(role, ContributorRole),
        "Virtual Machine Contributor" => Role(role, VirtualMachineContributor),
        "Storage Blob Data Reader" => Role(role, StorageBlobDataReader),
        "Key Vault Reader" => Role(role, KeyVaultReader),
        "AcrPull" => Role(role, AcrPull),
        "DevTest Labs User" => Role(role, DevTestLabsUser),
        "Role Based Access Control Administrator" => Role(role, RbacAdministrator),
        "RoleViewer Reader" => Role(role, RoleViewerReader),
        _ => null,
    };

    private static RoleDefinitionData Role(string name, RolePermissionData permissions) =>
        new($"/providers/Microsoft.Authorization/roleDefinitions/{name}", name, new RoleDefinitionProperties(name, "BuiltInRole", null, [permissions]));

    private static RoleAssignmentsService.CurrentListing Listing(params (string Role, string Scope, string PrincipalId, string? Condition)[] assignments)
    {
        var items = assignments.Select((a, i) => new RoleAssignmentDto(
            $"{a.Scope}/providers/Microsoft.Authorization/roleAssignments/{i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"roles/{a.Role}",
            a.Role, "BuiltInRole", null, a.Scope, ScopeInfo.Parse(a.Scope).Kind, TestIds.SubscriptionId, null, null, null,
            a.PrincipalId, "ServicePrincipal", a.Condition, null)).ToList();
        var roles = assignments.Select(a => a.Role).Distinct().ToDictionary(r => $"roles/{r}", Definition, StringComparer.OrdinalIgnoreCase);
        return new(new RoleAssignmentsService.Listing(new PrincipalInfo(TestIds.ObjectId, TestIds.ClientId, TestIds.TenantId), TestIds.SubscriptionId, items,
            DateTimeOffset.UnixEpoch, roles), null);
    }
}
