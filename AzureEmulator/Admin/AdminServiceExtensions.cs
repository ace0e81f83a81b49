using AzureEmulator.Diagnostics;
using AzureEmulator.Faults;
using OpenTelemetry.Metrics;

namespace AzureEmulator.Admin;

public static class AdminServiceExtensions
{
    /// <summary>Registers what the admin API controls and reads: fault injection and the emulator's counters.</summary>
    public static IHostApplicationBuilder AddEmulatorControl(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<EmulatorMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(EmulatorMetrics.MeterName));
        return builder;
    }
}
