namespace RoleViewer.Web.TryIt;

/// <summary>The emulator's GET /admin/state (AzureEmulator/State/SeedDrift.cs): does its persisted state still equal the seed.</summary>
public sealed record EmulatorStateReport(bool DiffersFromSeed, IReadOnlyList<EmulatorStateDifference> Differences, IReadOnlyList<string> StateFiles);

/// <param name="Area">roleAssignments, roleDefinitions, groups, federatedCredentials or identities.</param>
public sealed record EmulatorStateDifference(string Area, string Detail);

/// <summary>What the page knows of the emulator's state: its report, or why it could not be read.</summary>
public sealed record SeedState(EmulatorStateReport? Report, string? Error)
{
    public bool DiffersFromSeed => Report?.DiffersFromSeed == true;
}
