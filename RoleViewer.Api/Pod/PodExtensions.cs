namespace RoleViewer.Api.Pod;

public static class PodExtensions
{
    /// <summary>The facts about the pod the API runs in: Downward API variables, cgroup limits, memory and load.</summary>
    public static IHostApplicationBuilder AddPod(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PodOptions>().BindConfiguration(PodOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PodFactsProvider>();
        return builder;
    }
}
