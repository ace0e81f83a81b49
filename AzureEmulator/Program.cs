using AzureEmulator.Admin;
using AzureEmulator.Arm;
using AzureEmulator.Hosting;
using AzureEmulator.Identity;
using AzureEmulator.State;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddEmulatorHosting();
builder.Services.AddProblemDetails();
builder.Services.AddSingleton(TimeProvider.System);
builder.AddEmulatorControl();
builder.AddEntraIdentity();
builder.AddArm();

var app = builder.Build();

app.UseExceptionHandler();
app.UseEmulatorHosting();
app.MapDefaultEndpoints();
var admin = app.MapAdminGroup();
app.MapEntraIdentity(admin);
app.MapArm(admin);
admin.MapStateAdmin();

app.Run();

// Lets tests host the emulator with WebApplicationFactory<Program>.
public partial class Program;
