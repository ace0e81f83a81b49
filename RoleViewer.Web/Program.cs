using RoleViewer.Web.Components;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddBadRequestProblems();
builder.AddRoleViewerApiClient();
builder.AddDashboard();
builder.AddTryIt();
builder.Services.AddRazorComponents();

var app = builder.Build();

// In every environment: a failure shows the Error page with a request id, never a stack trace.
app.UseExceptionHandler("/Error", createScopeForErrors: true);
app.UseSecurityHeaders();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>();
app.MapDashboardFragments();
app.MapTryIt();
app.MapDefaultEndpoints();

app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
