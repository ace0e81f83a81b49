using RoleViewer.Api.Pod;

namespace RoleViewer.Api.Tests;

public sealed class PodApiTests : IDisposable
{
    private readonly ApiFactory _factory = new();
    private readonly DirectoryInfo _cgroup = Directory.CreateTempSubdirectory("cgroup-");

    public void Dispose()
    {
        _factory.Dispose();
        _cgroup.Delete(recursive: true);
    }

    private string Write(string relative, string content)
    {
        var path = Path.Combine(_cgroup.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return Path.GetDirectoryName(path)!;
    }

    [Fact]
    public void MemoryLimit_WhenMemoryMaxIsMax_IsNull()
    {
        var directory = Write("memory.max", "max\n");

        Assert.Null(PodFactsProvider.MemoryLimit([directory]));
    }

    [Fact]
    public void MemoryLimit_WhenAncestorLimitsLess_TakesTheSmallest()
    {
        var leaf = Write("kubepods/pod1/memory.max", "536870912\n");
        var root = Write("memory.max", "268435456\n");

        Assert.Equal(268435456, PodFactsProvider.MemoryLimit([leaf, Path.Combine(root, "kubepods"), root]));
    }

    [Theory]
    [InlineData("max 100000\n", null)]
    [InlineData("50000 100000\n", 0.5)]
    [InlineData("150000 100000\n", 1.5)]
    public void CpuLimit_ReadsQuotaOverPeriod(string cpuMax, double? expected)
    {
        var directory = Write("cpu.max", cpuMax);

        Assert.Equal(expected, PodFactsProvider.CpuLimit([directory]));
    }

    [Fact]
    public void CgroupV1Limits_WhenSet_AreRead()
    {
        var memory = Write("memory/memory.limit_in_bytes", "134217728\n");
        var cpu = Write("cpu/cpu.cfs_quota_us", "25000\n");
        Write("cpu/cpu.cfs_period_us", "100000\n");

        Assert.Equal(134217728, PodFactsProvider.MemoryLimitV1([memory]));
        Assert.Equal(0.25, PodFactsProvider.CpuLimitV1([cpu]));
    }

    [Fact]
    public void CgroupV1Limits_WhenUnlimited_AreNull()
    {
        var memory = Write("memory/memory.limit_in_bytes", "9223372036854771712\n");
        var cpu = Write("cpu/cpu.cfs_quota_us", "-1\n");
        Write("cpu/cpu.cfs_period_us", "100000\n");

        Assert.Null(PodFactsProvider.MemoryLimitV1([memory]));
        Assert.Null(PodFactsProvider.CpuLimitV1([cpu]));
    }

    [Fact(Timeout = 30_000)]
    public async Task GetPod_WithDownwardApiAndCgroupFiles_ReportsThem()
    {
        File.WriteAllText(Path.Combine(_factory.Root, "memory.max"), "268435456\n");
        File.WriteAllText(Path.Combine(_factory.Root, "cpu.max"), "50000 100000\n");
        File.WriteAllText(Path.Combine(_factory.Root, "self-cgroup"), "0::/\n");
        _factory.Settings["POD_NAME"] = "api-7d9c8b6f5-xk2lp";
        _factory.Settings["POD_NAMESPACE"] = "roleviewer";
        _factory.Settings["POD_SERVICE_ACCOUNT"] = "roleviewer-api";

        var pod = await _factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/pod", TestContext.Current.CancellationToken);

        Assert.Equal("api-7d9c8b6f5-xk2lp", pod.GetProperty("podName").GetString());
        Assert.Equal("roleviewer", pod.GetProperty("namespace").GetString());
        Assert.Equal("roleviewer-api", pod.GetProperty("serviceAccount").GetString());
        Assert.Equal(268435456, pod.GetProperty("memoryLimitBytes").GetInt64());
        Assert.Equal(0.5, pod.GetProperty("cpuLimit").GetDouble());
        Assert.Equal(Environment.ProcessorCount, pod.GetProperty("cpuCount").GetInt32());
        Assert.True(pod.GetProperty("workingSetBytes").GetInt64() > 0);
        Assert.Contains('+', pod.GetProperty("appVersion").GetString()!);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetPod_WithoutDownwardApi_FallsBackToHostFacts()
    {
        File.WriteAllText(Path.Combine(_factory.Root, "memory.max"), "max\n");

        var pod = await _factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/pod", TestContext.Current.CancellationToken);

        Assert.Equal(Environment.MachineName, pod.GetProperty("podName").GetString());
        Assert.Equal(JsonValueKind.Null, pod.GetProperty("namespace").ValueKind);
        Assert.Equal(JsonValueKind.Null, pod.GetProperty("memoryLimitBytes").ValueKind);
    }
}
