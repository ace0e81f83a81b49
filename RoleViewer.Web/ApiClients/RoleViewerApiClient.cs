namespace RoleViewer.Web.ApiClients;

/// <summary>Typed client for RoleViewer.Api, reached through service discovery.</summary>
public sealed class RoleViewerApiClient(HttpClient http)
{
    public Task<PodFacts?> GetPodAsync(CancellationToken cancellationToken = default) =>
        http.GetFromJsonAsync<PodFacts>("/api/pod", cancellationToken);
}

public sealed record PodFacts(string HostName, long ProcessUptimeSeconds, int CpuCount, string DotnetVersion);
