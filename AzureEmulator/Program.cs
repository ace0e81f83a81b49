using AzureEmulator.Admin;
using AzureEmulator.Diagnostics;
using AzureEmulator.Faults;
using AzureEmulator.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddProblemDetails();
builder.Services.AddOptions<EmulatorOptions>().BindConfiguration(EmulatorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<FaultInjector>();
builder.Services.AddSingleton<EmulatorMetrics>();
builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(EmulatorMetrics.MeterName));

var app = builder.Build();

app.UseExceptionHandler();
app.MapDefaultEndpoints();
app.MapAdminGroup();

app.Run();

// Lets tests host the emulator with WebApplicationFactory<Program>.
public partial class Program;
