using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AzureEmulator.Admin;
using AzureEmulator.Tls;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.Tokens;

namespace AzureEmulator.Tests;

/// <summary>The emulator mints Owner tokens and rewrites role assignments: it answers only to its owner.</summary>
public sealed class OwnerOnlyTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    [Theory(Timeout = 30_000)]
    [InlineData("GET", "/admin/counters")]
    [InlineData("PUT", "/admin/faults/arm")]
    [InlineData("POST", "/admin/tokens")]
    [InlineData("GET", "/admin/directory")]
    [InlineData("PUT", "/admin/groups/b7e1c3a5-9d2f-4e8b-a6c4-0f2e4d6b8a1c")]
    public async Task AdminEndpoint_WithoutTheKey_Answers401EvenFromLoopback(string method, string path)
    {
        using var client = emulator.CreateAnonymousClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative))
        {
            Content = method == "GET" ? null : JsonContent.Create(new { clientId = SeedIds.OperatorClientId, resource = "https://management.azure.com/" }),
        };

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(AdminOwnerOnly.HeaderName, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task AdminEndpoint_WithAWrongKey_Answers401()
    {
        using var client = emulator.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add(AdminOwnerOnly.HeaderName, new string('0', emulator.AdminKey.Length));

        using var response = await client.GetAsync(new Uri("/admin/counters", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task AdminEndpoint_WithTheKeyButAForeignHostHeader_Answers403()
    {
        // As a DNS-rebinding page would arrive: from loopback, with its own host name. Certificate checks are off here
        // because the foreign name is also used for SNI; the point is the emulator's answer.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var client = new HttpClient(handler) { BaseAddress = emulator.Origin };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/admin/counters", UriKind.Relative));
        request.Headers.Host = $"attacker.example:{emulator.Origin.Port}";
        request.Headers.Add(AdminOwnerOnly.HeaderName, emulator.AdminKey);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task AdminEndpoint_WithTheKey_Answers()
    {
        using var client = emulator.CreateClient();

        using var response = await client.GetAsync(new Uri("/admin/counters", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Body_OverOneMegabyte_IsRefusedWith413()
    {
        using var client = emulator.CreateClient();
        using var content = new ByteArrayContent(new byte[(1024 * 1024) + 1]);
        content.Headers.ContentType = new("application/json");

        // HTTP/2: the client reads the 413 even while the body is still going out. Over HTTP/1.1 the server's close can
        // break the client's write first (broken pipe) when a busy machine slows the sender.
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/admin/faults/arm", UriKind.Relative))
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("exp", 99_999_999_999_999L)]
    [InlineData("exp", -99_999_999_999_999L)]
    [InlineData("nbf", 99_999_999_999_999L)]
    [InlineData("exp", long.MaxValue)]
    public async Task Assertion_WithAbsurdTime_GetsEntrasInvalidRequest400(string claim, long value)
    {
        using var client = emulator.CreateAnonymousClient();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = emulator.Origin.ToString(),
            ["sub"] = SeedIds.ApiSubject,
            ["aud"] = "api://AzureADTokenExchange",
            ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
        };
        claims[claim] = value;
        var assertion = $"{Base64UrlEncoder.Encode("""{"alg":"RS256","typ":"JWT"}""")}.{Base64UrlEncoder.Encode(System.Text.Json.JsonSerializer.Serialize(claims))}.c2ln";

        using var response = await TokenEndpointClient.ExchangeAsync(client, assertion, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("AADSTS50027", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task SecretsAndState_AreOwnerOnly_FilesInFoldersTheOwnerAloneMayEnter()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes; Windows relies on the profile folder's ACLs.");
            return;
        }

        await emulator.ReadTokenFileAsync(TestContext.Current.CancellationToken);
        using var client = emulator.CreateClient();
        // A change makes the emulator save its directory state.
        (await client.PutAsJsonAsync("/admin/groups/b7e1c3a5-9d2f-4e8b-a6c4-0f2e4d6b8a1c",
            new { displayName = "sg-owner-only-test", members = new[] { SeedIds.ApiObjectId } }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var files = Directory.EnumerateFiles(emulator.StateDirectory, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("ca.key", StringComparison.Ordinal));
        Assert.Contains(files, f => f == emulator.TokenFile);
        Assert.Contains(files, f => f.EndsWith(".json", StringComparison.Ordinal));
        foreach (var file in files)
        {
            Assert.True((File.GetUnixFileMode(file) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)) == 0, $"{file} is {File.GetUnixFileMode(file)}");
        }

        foreach (var folder in Directory.EnumerateDirectories(emulator.StateDirectory, "*", SearchOption.AllDirectories).Append(emulator.StateDirectory))
        {
            Assert.True((File.GetUnixFileMode(folder) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)) == 0, $"{folder} is {File.GetUnixFileMode(folder)}");
        }
    }

    [Fact]
    public void LocalCa_IsNameConstrained_ToTheNamesTheEmulatorServes()
    {
        var ca = X509Certificate2.CreateFromPemFile(emulator.CaCertificatePath, Path.Combine(emulator.StateDirectory, "tls", "ca.key"));
        var constraints = ca.Extensions[NameConstraints.Oid];
        Assert.NotNull(constraints);
        Assert.True(constraints.Critical);

        // A certificate the CA would sign for a real site must not chain: the constraint is enforced by the platform.
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=login.microsoftonline.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("login.microsoftonline.com");
        request.CertificateExtensions.Add(san.Build());
        using var foreign = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;

        Assert.False(chain.Build(foreign));
        Assert.Contains(chain.ChainStatus, s => s.Status == X509ChainStatusFlags.HasNotPermittedNameConstraint);
    }

    [Fact]
    public void Emulator_AskedToListenOnAllInterfaces_RefusesToStart()
    {
        var state = Directory.CreateTempSubdirectory("roleviewer-emulator-bind-").FullName;
        try
        {
            // As a user would ask for it: ASPNETCORE_URLS / --urls.
            using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
                .UseSetting("Emulator:StateDirectory", state)
                .UseSetting("urls", "https://0.0.0.0:0"));
            factory.UseKestrel();

            var error = Assert.ThrowsAny<Exception>(factory.StartServer);

            Assert.Contains("loopback", Flatten(error), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static string Flatten(Exception error) =>
        error is AggregateException aggregate ? string.Join(" ", aggregate.InnerExceptions.Select(Flatten)) : error.ToString();
}
