using RoleViewer.Web.ApiClients;
using RoleViewer.Web.Components;
using RoleViewer.Web.Compression;
using RoleViewer.Web.Dashboard;
using RoleViewer.Web.Security;
using RoleViewer.Web.TryIt;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddBadRequestProblems();
builder.AddRoleViewerApiClient();
builder.AddDashboard();
builder.AddTryIt();
builder.AddPageCompression();
builder.Services.AddRazorComponents();

var app = builder.Build();

// In every environment: a failure shows the Error page with a request id, never a stack trace.
app.UseExceptionHandler("/Error", createScopeForErrors: true);
app.UseSecurityHeaders();
app.UseResponseCompression();
app.UseHeadForPage();
app.UseRouting();
app.UseAntiforgery();
app.UseOutputCache();

// Fingerprinted assets are cached for a year (immutable), the rest revalidated; appsettings.json turns off the
// development handler that would otherwise serve every asset no-cache when running from a build.
app.MapStaticAssets();
app.MapRazorComponents<App>().CacheOutput(DashboardOutputCache.PolicyName);
app.MapDashboardFragments();
app.MapTryIt();
app.MapDefaultEndpoints();

app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
