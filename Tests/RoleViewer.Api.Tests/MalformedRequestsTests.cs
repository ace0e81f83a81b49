extern alias web;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace RoleViewer.Api.Tests;

/// <summary>
/// Bad input is the caller's error in every environment: a deterministic stream of malformed requests (methods,
/// paths, query values, oversized and garbage headers and bodies) against the api and the web on real Kestrel
/// (loopback), in Development as in the README's run. None may get a 5xx or a dropped connection, and both keep serving.
/// </summary>
public sealed class MalformedRequestsTests : IDisposable
{
    private const int RequestsPerApp = 600;

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "FOO", "GET"];

    private static readonly string[] ApiPaths = ["/api/role-assignments", "/api/identity", "/api/pod", "/openapi/v1.json", "/api/role-assignments/x", "/health", "/"];

    private static readonly string[] WebPaths = ["/", "/fragments/dashboard", "/try-it/role-assignments", "/favicon.svg", "/Error", "/not-there"];

    private static readonly string[] Queries =
    [
        "", "?refresh=maybe", "?refresh=1", "?refresh=", "?probe=maybe", "?probe=%FF%FE", "?refresh=true&refresh=false",
        "?sort=%3Cscript%3E&dir=sideways", "?sort=role&dir=desc&q=%00%01", "?q=" + new string('x', 6000), "?%%%=%%%", "?refresh=TRUE",
    ];

    private readonly ApiFactory _api = new();
    private readonly WebOnKestrel _web;
    private readonly Uri _apiUrl;

    public MalformedRequestsTests()
    {
        _api.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _api.StartServer();
        _apiUrl = _api.ClientOptions.BaseAddress;
        _web = new WebOnKestrel(_apiUrl);
        _web.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _web.StartServer();
    }

    public void Dispose()
    {
        _web.Dispose();
        _api.Dispose();
    }

    [Fact(Timeout = 300_000)]
    public async Task ThousandsOfMalformedRequests_NeverGet5xxOrADroppedConnection_AndBothAppsKeepServing()
    {
        var ct = TestContext.Current.CancellationToken;
        var problems = new List<string>();
        var sent = 0;
        foreach (var (baseUrl, paths) in new[] { (_apiUrl, ApiPaths), (_web.ClientOptions.BaseAddress, WebPaths) })
        {
            using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
            var random = new Random(11);
            for (var i = 0; i < RequestsPerApp; i++)
            {
                using var request = Malformed(random, i, paths);
                var name = $"{request.Method} {request.RequestUri!.OriginalString[..Math.Min(80, request.RequestUri.OriginalString.Length)]} (#{i} on {baseUrl.Port})";
                try
                {
                    using var response = await client.SendAsync(request, ct);
                    if ((int)response.StatusCode >= 500)
                    {
                        problems.Add($"{name}: {(int)response.StatusCode}");
                    }
                }
                catch (HttpRequestException e)
                {
                    problems.Add($"{name}: connection dropped ({e.Message})");
                }

                sent++;
            }

            using var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        using var apiClient = new HttpClient { BaseAddress = _apiUrl };
        using var list = await apiClient.GetAsync(new Uri("/api/role-assignments", UriKind.Relative), ct);
        using var webClient = new HttpClient { BaseAddress = _web.ClientOptions.BaseAddress };
        using var page = await webClient.GetAsync(new Uri("/", UriKind.Relative), ct);

        Assert.True(sent >= 1000, $"only {sent} requests were sent");
        Assert.Empty(problems.Take(20));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("RoleViewer Reader", await page.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Malformed(Random random, int index, string[] paths)
    {
        var method = Methods[random.Next(Methods.Length)];
        var path = (index % 17) switch
        {
            0 => "/" + new string('a', 4000),
            1 => "/..%2f..%2fetc%2fpasswd",
            2 => "/%00%ff",
            _ => paths[random.Next(paths.Length)],
        };
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path + Queries[random.Next(Queries.Length)], UriKind.Relative));
        switch (index % 9)
        {
            case 0:
                request.Headers.TryAddWithoutValidation("X-Garbage", Printable(random, random.Next(1, 2000)));
                break;
            case 1:
                // Near Kestrel's 32 KB header limit (beyond it Kestrel itself answers 431 and closes the connection).
                request.Headers.TryAddWithoutValidation("X-Huge", new string('h', 30_000));
                break;
            case 2:
                request.Headers.TryAddWithoutValidation("Accept", Printable(random, 200));
                request.Headers.TryAddWithoutValidation("Cookie", Printable(random, 500));
                break;
            case 3:
                request.Headers.TryAddWithoutValidation("Content-Length", "-1");
                break;
            default:
                break;
        }

        // Kestrel answers a NUL in the path with 400 at the protocol level and closes the connection at once; a body
        // still being sent would then meet a reset, which says nothing about the apps.
        if ((method is not ("GET" or "HEAD") || index % 5 == 0) && index % 17 != 2)
        {
            var body = new byte[random.Next(0, index % 11 == 0 ? 2_000_000 : 4000)];
            random.NextBytes(body);
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", (index % 4) switch
            {
                0 => "application/json",
                1 => "application/x-www-form-urlencoded",
                2 => "multipart/form-data; boundary=" + Printable(random, 30),
                _ => Printable(random, 40),
            });
        }

        return request;
    }

    private static string Printable(Random random, int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append((char)random.Next(0x21, 0x7F));
        }

        return text.ToString();
    }

    private sealed class WebOnKestrel(Uri api) : WebApplicationFactory<web::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["services:api:http:0"] = api.ToString(),
            }));
        }
    }
}
