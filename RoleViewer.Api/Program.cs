using RoleViewer.Api.Arm;
using RoleViewer.Api.Common;
using RoleViewer.Api.Doctor;
using RoleViewer.Api.Identity;
using RoleViewer.Api.Permissions;
using RoleViewer.Api.Pod;
using RoleViewer.Api.RoleAssignments;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddBadRequestProblems();
builder.AddApiJson();
builder.Services.AddOpenApi(options => options.AddSchemaTransformer<ProblemDetailsSchema>());
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ApiTelemetry>();

// Each feature folder registers its own services; they depend one way: Arm ← Identity ← RoleAssignments ← Permissions, Doctor.
builder.AddArm();
builder.AddIdentity();
builder.AddRoleAssignments();
builder.AddDoctor();
builder.AddPod();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapOpenApi();
app.MapDefaultEndpoints();
app.MapRoleAssignmentsApi();
app.MapPermissionsApi();
app.MapDoctorApi();
app.MapPodApi();

app.Run();
