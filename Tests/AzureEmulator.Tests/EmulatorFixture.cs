namespace AzureEmulator.Tests;

/// <summary>
/// The shared in-process emulator (<see cref="InProcessEmulator"/>). Share one per test class (IClassFixture) unless
/// a test changes the directory; subclass and override Settings or Clock for other configuration.
/// </summary>
public class EmulatorFixture : InProcessEmulator
{
    public EmulatorFixture()
    {
    }

    /// <summary>Runs on an existing state directory (e.g. to restart an emulator on the state another one saved).</summary>
    protected EmulatorFixture(string stateDirectory, bool deleteStateOnDispose)
        : base(stateDirectory, deleteStateOnDispose)
    {
    }
}
