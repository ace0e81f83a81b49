using System.Text.Json;
using AzureEmulator.Diagnostics;
using AzureEmulator.Faults;
using AzureEmulator.Identity;

namespace AzureEmulator.Arm;

/// <summary>What ARM's handlers need, injected as one parameter.</summary>
public sealed class ArmServices(
    AuthorizationStore store,
    ArmBearerValidator bearer,
    ArmThrottle throttle,
    ArmPaging paging,
    EmulatorArmOptions options,
    DirectoryStore directory,
    FaultInjector faults,
    EmulatorMetrics metrics,
    TimeProvider time)
{
    /// <summary>ARM's JSON: camelCase, and null properties written out (clients see "condition": null).</summary>
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    public AuthorizationStore Store => store;

    public ArmBearerValidator Bearer => bearer;

    public ArmThrottle Throttle => throttle;

    public ArmPaging Paging => paging;

    public EmulatorArmOptions Options => options;

    public DirectoryStore Directory => directory;

    public FaultInjector Faults => faults;

    public EmulatorMetrics Metrics => metrics;

    public TimeProvider Time => time;

    public JsonSerializerOptions Json => SerializerOptions;
}
