using Microsoft.AspNetCore.Http.HttpResults;

namespace RoleViewer.Api.Pod;

public static class PodApi
{
    public static RouteGroupBuilder MapPodApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/pod").WithTags("Pod");
        group.MapGet("/", GetPod)
            .WithName("GetPod")
            .WithSummary("Facts about the pod that serves this API.")
            .WithDescription("Downward API facts, process uptime and the CPU and memory limits as cgroup v2 enforces them.");
        return group;
    }

    public static Ok<PodFacts> GetPod(PodFactsProvider pod) => TypedResults.Ok(pod.Get());
}
