extern alias web;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RoleViewer.Web.Tests;

/// <summary>Try-it writes to the emulator with Owner rights: it refuses to start anywhere but a developer's machine.</summary>
public sealed class TryItGateTests
{
    private const string Key = "0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("Production", "https://localhost:5443", Key, "Development")]
    [InlineData("Staging", "https://127.0.0.1:5443", Key, "Development")]
    [InlineData("Development", "https://emulator.example.com:5443", Key, "loopback")]
    [InlineData("Development", "https://10.0.0.5:5443", Key, "loopback")]
    [InlineData("Development", "https://localhost:5443", null, "AdminKey")]
    public void Web_WithTryItWhereItMustNotRun_RefusesToStartAndSaysWhy(string environment, string endpoint, string? key, string reason)
    {
        using var factory = new GatedWebFactory(environment, endpoint, key);

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var validation = Assert.IsType<OptionsValidationException>(Unwrap(error));
        Assert.Contains(reason, validation.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Web_InDevelopmentWithLoopbackEmulatorAndKey_StartsAndServes()
    {
        using var factory = new GatedWebFactory("Development", "https://localhost:5443", Key);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/alive", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.True(response.IsSuccessStatusCode);
    }

    private static Exception Unwrap(Exception error) =>
        error is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : error;

    private sealed class GatedWebFactory(string environment, string endpoint, string? key) : WebApplicationFactory<web::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(environment);
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["services:api:http:0"] = "http://127.0.0.1:9",
                ["TryIt:Endpoint"] = endpoint,
                ["TryIt:AdminKey"] = key,
            }));
        }
    }
}
