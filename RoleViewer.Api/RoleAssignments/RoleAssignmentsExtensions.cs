namespace RoleViewer.Api.RoleAssignments;

public static class RoleAssignmentsExtensions
{
    /// <summary>The cached, stale-safe listing of the principal's role assignments and the role definitions it names.</summary>
    public static IHostApplicationBuilder AddRoleAssignments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RoleAssignmentsOptions>().BindConfiguration(RoleAssignmentsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RoleDefinitionCache>();
        builder.Services.AddSingleton<RoleAssignmentsService>();
        return builder;
    }
}
