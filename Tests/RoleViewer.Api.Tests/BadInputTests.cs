using Microsoft.AspNetCore.Hosting;

namespace RoleViewer.Api.Tests;

/// <summary>A value the Api cannot bind is the caller's error: 400 ProblemDetails naming the parameter, in every environment.</summary>
public sealed class BadInputTests
{
    [Theory(Timeout = 30_000)]
    [InlineData("Development", "/api/role-assignments?refresh=maybe", "refresh")]
    [InlineData("Development", "/api/role-assignments?refresh=1", "refresh")]
    [InlineData("Development", "/api/identity?probe=maybe", "probe")]
    [InlineData("Production", "/api/role-assignments?refresh=maybe", "refresh")]
    [InlineData("Production", "/api/role-assignments?refresh=1", "refresh")]
    [InlineData("Production", "/api/identity?probe=maybe", "probe")]
    public async Task UnbindableQueryValue_Answers400ProblemNamingTheParameterAndTheAcceptedValues(string environment, string url, string parameter)
    {
        using var factory = new ApiFactory();
        using var client = factory.WithWebHostBuilder(b => b.UseEnvironment(environment)).CreateClient();

        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains($"'{parameter}'", detail, StringComparison.Ordinal);
        Assert.Contains("true or false", detail, StringComparison.Ordinal);
    }
}
