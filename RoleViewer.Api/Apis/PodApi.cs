using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace RoleViewer.Api.Apis;

public static class PodApi
{
    public static RouteGroupBuilder MapPodApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/pod").WithTags("Pod");
        group.MapGet("/", GetPod).WithName("GetPod").WithSummary("Facts about the pod that serves this API.");
        return group;
    }

    public static Ok<PodFacts> GetPod() =>
        TypedResults.Ok(new PodFacts(
            HostName: Environment.MachineName,
            ProcessUptimeSeconds: (long)(DateTime.UtcNow - Process.GetCurrentProcess().StartTime.ToUniversalTime()).TotalSeconds,
            CpuCount: Environment.ProcessorCount,
            DotnetVersion: Environment.Version.ToString()));
}

public sealed record PodFacts(string HostName, long ProcessUptimeSeconds, int CpuCount, string DotnetVersion);
