using RoleViewer.Api.Pod;

namespace RoleViewer.Api.Extensions;

public static class PodServiceExtensions
{
    public static IHostApplicationBuilder AddPodFacts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PodOptions>().BindConfiguration(PodOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PodFactsProvider>();
        return builder;
    }
}
