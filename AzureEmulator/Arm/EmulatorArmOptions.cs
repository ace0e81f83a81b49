using System.ComponentModel.DataAnnotations;
using AzureEmulator.Faults;

namespace AzureEmulator.Arm;

/// <summary>Settings of the emulated Azure Resource Manager (configuration section "Emulator:Arm").</summary>
public sealed class EmulatorArmOptions
{
    public const string SectionName = "Emulator:Arm";

    /// <summary>Items per list page before a nextLink is added. ARM's own page size is not documented; 1000 keeps pages large like ARM's.</summary>
    [Range(1, 5000)]
    public int PageSize { get; set; } = 1000;

    /// <summary>ARM's limit on role assignments per subscription.</summary>
    [Range(1, 1_000_000)]
    public int MaxAssignmentsPerSubscription { get; set; } = 4000;

    [Range(1, 100_000)]
    public int ReadBucketCapacity { get; set; } = 250;

    [Range(0.001, 100_000)]
    public double ReadRefillPerSecond { get; set; } = 25;

    /// <summary>Capacity of the write bucket and of the delete bucket.</summary>
    [Range(1, 100_000)]
    public int WriteBucketCapacity { get; set; } = 200;

    [Range(0.001, 100_000)]
    public double WriteRefillPerSecond { get; set; } = 10;

    /// <summary>How many times a principal's bucket a subscription's global bucket holds and refills (ARM: 15).</summary>
    [Range(1, 1000)]
    public int GlobalBucketMultiplier { get; set; } = 15;

    /// <summary>Faults to inject into ARM from the start (the AppHost sets them here); the admin API changes them at run time.</summary>
    public FaultSettings? Faults { get; set; }
}

/// <summary>The list page size in force; starts at <see cref="EmulatorArmOptions.PageSize"/>, changed at run time by the admin API.</summary>
public sealed class ArmPaging(EmulatorArmOptions options)
{
    private int _pageSize = options.PageSize;

    public int PageSize
    {
        get => Volatile.Read(ref _pageSize);
        set => Volatile.Write(ref _pageSize, value);
    }
}
