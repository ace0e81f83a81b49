namespace AppHost.Tests;

/// <summary>
/// The AppHost's real-cluster mode, checked on its model without starting anything (no Azure here): no emulator,
/// and the api gets the webhook's variables pointed at real Entra ID and ARM.
/// </summary>
public sealed class RealClusterModelTests : IDisposable
{
    private const string ClientId = "0b9f2a4c-1111-4222-8333-944455556666";
    private const string TenantId = "72f988bf-0000-4000-8000-000000000001";
    private const string SubscriptionId = "11111111-2222-4333-8444-555555555555";
    private readonly string _tokenFile = Path.GetTempFileName();

    [Fact(Timeout = 120_000)]
    public async Task RealCluster_WithTokenFileAndIds_HasNoEmulatorAndGivesTheApiTheWebhooksVariablesForRealAzure()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--RealCluster:TokenFile={_tokenFile}", $"--RealCluster:ClientId={ClientId}", $"--RealCluster:TenantId={TenantId}",
                $"--RealCluster:SubscriptionId={SubscriptionId}"], ct);

        var api = (IResourceWithEnvironment)builder.Resources.Single(r => r.Name == "api");
        var web = (IResourceWithEnvironment)builder.Resources.Single(r => r.Name == "web");
        var apiEnvironment = await EnvironmentOfAsync(api, builder, ct);
        var webEnvironment = await EnvironmentOfAsync(web, builder, ct);

        Assert.DoesNotContain(builder.Resources, r => r.Name == "emulator");
        Assert.Equal(ClientId, apiEnvironment["AZURE_CLIENT_ID"]);
        Assert.Equal(TenantId, apiEnvironment["AZURE_TENANT_ID"]);
        Assert.Equal(_tokenFile, apiEnvironment["AZURE_FEDERATED_TOKEN_FILE"]);
        Assert.Equal("https://login.microsoftonline.com/", apiEnvironment["AZURE_AUTHORITY_HOST"]);
        Assert.Equal(SubscriptionId, apiEnvironment["AZURE_SUBSCRIPTION_ID"]);
        // ARM is the api's default, management.azure.com; nothing may point it or TLS trust at an emulator.
        Assert.False(apiEnvironment.ContainsKey("Arm__Endpoint"));
        Assert.False(apiEnvironment.ContainsKey("SSL_CERT_DIR"));
        // Try-it exists only against the emulator.
        Assert.False(webEnvironment.ContainsKey("TryIt__Endpoint"));
    }

    [Fact(Timeout = 120_000)]
    public async Task RealCluster_WithoutTheIds_StopsWithAMessageNamingWhatIsMissing()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
                [$"--RealCluster:TokenFile={_tokenFile}", $"--RealCluster:ClientId={ClientId}"], TestContext.Current.CancellationToken);
        });

        var message = Flatten(error);
        Assert.Contains("RealCluster:TenantId, RealCluster:SubscriptionId is not set", message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task RealCluster_WhenTheTokenFileIsMissing_SaysHowToWriteIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"roleviewer-no-token-{Guid.NewGuid():N}");

        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
                [$"--RealCluster:TokenFile={missing}", $"--RealCluster:ClientId={ClientId}", $"--RealCluster:TenantId={TenantId}",
                    $"--RealCluster:SubscriptionId={SubscriptionId}"], TestContext.Current.CancellationToken);
        });

        var message = Flatten(error);
        Assert.Contains($"'{missing}' does not exist", message, StringComparison.Ordinal);
        Assert.Contains("kubectl create token", message, StringComparison.Ordinal);
    }

    /// <summary>The variables the resource's environment callbacks set (values that are plain strings as such, others as their type).</summary>
    private static async Task<Dictionary<string, string>> EnvironmentOfAsync(IResourceWithEnvironment resource, IDistributedApplicationTestingBuilder builder, CancellationToken ct)
    {
        var context = new EnvironmentCallbackContext(builder.ExecutionContext, resource, cancellationToken: ct);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables.ToDictionary(v => v.Key, v => v.Value as string ?? v.Value.GetType().Name);
    }

    private static string Flatten(Exception error) =>
        string.Join(" | ", Enumerable.Repeat(error, 1).Concat(error is AggregateException a ? a.InnerExceptions : [])
            .SelectMany(e => new[] { e.Message, e.InnerException?.Message ?? "" }));

    public void Dispose() => File.Delete(_tokenFile);
}
