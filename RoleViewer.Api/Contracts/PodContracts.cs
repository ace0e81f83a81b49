namespace RoleViewer.Contracts;

/// <summary>Facts about the pod; limits are null when no cgroup limit is set.</summary>
public sealed record PodFacts(
    string PodName,
    string? Namespace,
    string? NodeName,
    string? PodIp,
    string? ServiceAccount,
    string HostName,
    double ProcessUptimeSeconds,
    DateTimeOffset StartedAt,
    int CpuCount,
    double? CpuLimit,
    long? MemoryLimitBytes,
    long WorkingSetBytes,
    long GcHeapBytes,
    IReadOnlyList<double>? LoadAverage,
    string DotnetVersion,
    string AppVersion,
    string OsDescription);
