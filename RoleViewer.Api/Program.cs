using RoleViewer.Api.Apis;
using RoleViewer.Api.Extensions;
using RoleViewer.Api.Json;
using RoleViewer.Api.Permissions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddBadRequestProblems();
builder.AddApiJson();
builder.Services.AddOpenApi(options => options.AddSchemaTransformer<ProblemDetailsSchema>());
builder.Services.AddSingleton(TimeProvider.System);

builder.AddWorkloadIdentity();
builder.AddIdentityProbe();
builder.AddRoleAssignments();
builder.AddPermissions();
builder.AddPodFacts();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapOpenApi();
app.MapDefaultEndpoints();
app.MapRoleAssignmentsApi();
app.MapPermissionsApi();
app.MapIdentityApi();
app.MapPodApi();

app.Run();
