using AzureEmulator.Faults;
using AzureEmulator.Hosting;
using Microsoft.Extensions.Options;

namespace AzureEmulator.Arm;

public static class ArmExtensions
{
    /// <summary>Registers the emulated Azure Resource Manager: authorization data, bearer validation, throttling, paging.</summary>
    public static IHostApplicationBuilder AddArm(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmulatorArmOptions>()
            .BindConfiguration(EmulatorArmOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Faults is null || !o.Faults.Validate().Any(), "Emulator:Arm:Faults is invalid: rates must be 0..1 and add up to at most 1, statuses 429/500/502/503/504, latencyMs 0..600000.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<EmulatorArmOptions>>().Value);
        builder.Services.AddSingleton(sp =>
        {
            var emulator = sp.GetRequiredService<IOptions<EmulatorOptions>>().Value;
            return new AuthorizationStore(
                Path.Combine(emulator.StateDirectory, "authorization.json"),
                Path.Combine(emulator.SeedDirectory, "authorization.json"),
                sp.GetRequiredService<EmulatorArmOptions>().MaxAssignmentsPerSubscription,
                sp.GetRequiredService<ILogger<AuthorizationStore>>());
        });
        builder.Services.AddSingleton<ArmBearerValidator>();
        builder.Services.AddSingleton<ArmThrottle>();
        builder.Services.AddSingleton<ArmPaging>();
        builder.Services.AddSingleton<ArmServices>();
        return builder;
    }

    /// <summary>Maps ARM's Microsoft.Authorization endpoints and the ARM part of the admin API.</summary>
    public static WebApplication MapArm(this WebApplication app, RouteGroupBuilder admin)
    {
        // Load (or seed) the state now: a damaged state file must stop the start, not the first request.
        app.Services.GetRequiredService<AuthorizationStore>();

        if (app.Services.GetRequiredService<EmulatorArmOptions>().Faults is { } faults)
        {
            app.Services.GetRequiredService<FaultInjector>().Set(FaultTarget.Arm, faults);
        }

        app.MapArmApi();
        admin.MapArmAdmin();
        return app;
    }
}
