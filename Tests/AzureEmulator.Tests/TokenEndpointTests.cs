using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AzureEmulator.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AzureEmulator.Tests;

/// <summary>The token endpoint on the wire: response shapes, metadata, and garbage in.</summary>
public sealed class TokenEndpointTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    [Theory(Timeout = 30_000)]
    [InlineData("https://management.azure.com//.default", "https://management.azure.com/")]
    [InlineData("https://management.azure.com/.default", "https://management.azure.com")]
    public async Task Exchange_WithArmScope_AnswersEntraSuccessShape(string scope, string audience)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = emulator.CreateClient();
        var assertion = await emulator.ReadTokenFileAsync(cancellationToken);

        var response = await TokenEndpointClient.ExchangeAsync(client, assertion, cancellationToken, scope: scope);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer", body.RootElement.GetProperty("token_type").GetString());
        Assert.Equal(3599, body.RootElement.GetProperty("expires_in").GetInt64());
        Assert.Equal(3599, body.RootElement.GetProperty("ext_expires_in").GetInt64());
        Assert.False(body.RootElement.TryGetProperty("refresh_in", out _));
        Assert.False(body.RootElement.TryGetProperty("client_info", out _));
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(audience, new JsonWebToken(body.RootElement.GetProperty("access_token").GetString()).GetPayloadValue<string>("aud"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Exchange_WithUnknownResource_Answers500011()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = emulator.CreateClient();
        var assertion = await emulator.ReadTokenFileAsync(cancellationToken);

        var response = await TokenEndpointClient.ExchangeAsync(client, assertion, cancellationToken, scope: "https://vault.azure.net/.default");
        var error = await ReadEntraErrorAsync(response, cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_resource", error.Error);
        Assert.Equal([500011], error.ErrorCodes);
    }

    [Fact(Timeout = 30_000)]
    public async Task Exchange_WhenFaultInjected_AnswersEntraShapedErrorWithRetryAfter()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = emulator.CreateClient();
        var assertion = await emulator.ReadTokenFileAsync(cancellationToken);
        (await client.PutAsJsonAsync("/admin/faults/token", new { errorRates = new Dictionary<string, double> { ["503"] = 1 }, retryAfterSeconds = 7 }, cancellationToken)).EnsureSuccessStatusCode();
        try
        {
            var response = await TokenEndpointClient.ExchangeAsync(client, assertion, cancellationToken);
            var error = await ReadEntraErrorAsync(response, cancellationToken);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter!.Delta);
            Assert.StartsWith("AADSTS", error.ErrorDescription, StringComparison.Ordinal);
        }
        finally
        {
            await client.DeleteAsync(new Uri("/admin/faults/token", UriKind.Relative), cancellationToken);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task OpenIdConfiguration_ForTenant_HasIssuerOnAuthorityOrigin()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = emulator.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/{SeedIds.TenantId}/v2.0/.well-known/openid-configuration", UriKind.Relative), cancellationToken));
        var keys = await client.GetFromJsonAsync<JwksDocument>(new Uri(document.RootElement.GetProperty("jwks_uri").GetString()!), cancellationToken);
        var discovery = await client.GetAsync(new Uri("/common/discovery/instance?api-version=1.1", UriKind.Relative), cancellationToken);

        var origin = emulator.Origin.ToString().TrimEnd('/');
        Assert.Equal($"{origin}/{SeedIds.TenantId}/v2.0", document.RootElement.GetProperty("issuer").GetString());
        Assert.Equal($"{origin}/{SeedIds.TenantId}/oauth2/v2.0/token", document.RootElement.GetProperty("token_endpoint").GetString());
        Assert.Equal(emulator.Services.GetRequiredService<EntraSigningKeys>().ValidationKeys[0].KeyId, Assert.Single(keys!.Keys).Kid);
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task ClusterIssuer_Discovery_PublishesKeyThatVerifiesTheProjectedToken()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = emulator.CreateClient();
        var token = await emulator.ReadTokenFileAsync(cancellationToken);
        var issuer = new JsonWebToken(token).Issuer;

        using var discovery = JsonDocument.Parse(await client.GetStringAsync(new Uri(issuer + ".well-known/openid-configuration"), cancellationToken));
        var jwks = new JsonWebKeySet(await client.GetStringAsync(new Uri(discovery.RootElement.GetProperty("jwks_uri").GetString()!), cancellationToken));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = "api://AzureADTokenExchange",
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });

        Assert.Equal(issuer, discovery.RootElement.GetProperty("issuer").GetString());
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    /// <summary>Acceptance 5: garbage in gets Entra-shaped 4xx out, never a 5xx, and the endpoint keeps serving.</summary>
    [Fact(Timeout = 180_000)]
    public async Task Token_WithThousandsOfMalformedRequests_AnswersEntraShaped4xxAndKeepsServing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = emulator.CreateClient();
        var assertion = await emulator.ReadTokenFileAsync(cancellationToken);
        var random = new Random(20261129);
        var requests = Enumerable.Range(0, 1200).Select(i => MalformedRequest(random, i, assertion)).ToList();
        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (request, ct) =>
        {
            using var message = request.Create();
            using var response = await client.SendAsync(message, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            if (status is < 400 or >= 500)
            {
                problems.Add($"{request.Name}: HTTP {status} {text}");
                return;
            }

            try
            {
                using var body = JsonDocument.Parse(text);
                var description = body.RootElement.GetProperty("error_description").GetString()!;
                var code = body.RootElement.GetProperty("error_codes")[0].GetInt32();
                if (body.RootElement.GetProperty("error").GetString() is null or "" || !description.StartsWith($"AADSTS{code}: ", StringComparison.Ordinal)
                    || !body.RootElement.TryGetProperty("trace_id", out _) || !body.RootElement.TryGetProperty("correlation_id", out _) || !body.RootElement.TryGetProperty("timestamp", out _))
                {
                    problems.Add($"{request.Name}: not Entra-shaped: {text}");
                }
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
            {
                problems.Add($"{request.Name} {response.RequestMessage?.RequestUri}: HTTP {status}, not Entra-shaped ({ex.GetType().Name}): {text[..Math.Min(200, text.Length)]}");
            }
        });

        var stillServing = await TokenEndpointClient.ExchangeAsync(client, assertion, cancellationToken);

        Assert.Empty(problems.Take(10));
        Assert.Equal(HttpStatusCode.OK, stillServing.StatusCode);
    }

    private static async Task<EntraErrorBody> ReadEntraErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await response.Content.ReadFromJsonAsync<EntraErrorBody>(cancellationToken))!;

    private sealed record FuzzRequest(string Name, Func<HttpRequestMessage> Create);

    private static FuzzRequest MalformedRequest(Random random, int index, string assertion)
    {
        var path = $"/{SeedIds.TenantId}/oauth2/v2.0/token";
        var kind = index % 14;
        var fields = new Dictionary<string, string>
        {
            ["client_id"] = SeedIds.ApiClientId,
            ["client_assertion_type"] = TokenEndpointClient.JwtBearer,
            ["client_assertion"] = assertion,
            ["scope"] = "https://management.azure.com//.default",
            ["grant_type"] = "client_credentials",
        };
        switch (kind)
        {
            case 0:
                fields["client_assertion"] = RandomText(random, random.Next(0, 3000));
                break;
            case 1:
                fields["client_assertion"] = $"{RandomBase64Url(random, 40)}.{RandomBase64Url(random, 200)}.{RandomBase64Url(random, 256)}";
                break;
            case 2:
                fields["client_assertion"] = UnsignedToken(assertion, "none", "");
                break;
            case 3:
                fields["client_assertion"] = UnsignedToken(assertion, "HS256", RandomBase64Url(random, 32));
                break;
            case 4:
                fields.Remove(fields.Keys.ElementAt(random.Next(fields.Count)));
                break;
            case 5:
                fields[fields.Keys.ElementAt(random.Next(fields.Count))] = RandomText(random, random.Next(0, 200));
                break;
            case 6:
                return new FuzzRequest($"{index} oversized", () => Post(path, new ByteArrayContent(Encoding.ASCII.GetBytes("grant_type=client_credentials&client_assertion=" + new string('A', random.Next(70_000, 1_000_000)))), "application/x-www-form-urlencoded"));
            case 7:
                return new FuzzRequest($"{index} json body", () => Post(path, JsonContent.Create(fields), null));
            case 8:
                return new FuzzRequest($"{index} text body", () => Post(path, new StringContent(RandomText(random, 500)), "text/plain"));
            case 9:
                return new FuzzRequest($"{index} multipart", () => Post(path, new MultipartFormDataContent { { new StringContent("client_credentials"), "grant_type" } }, null));
            case 10:
                return new FuzzRequest($"{index} no content type", () => Post(path, new ByteArrayContent(RandomBytes(random, 300)), null));
            case 11:
                return new FuzzRequest($"{index} broken form encoding", () => Post(path, new ByteArrayContent(Encoding.ASCII.GetBytes("grant_type=%ZZ%&&==&client_id=%" + RandomText(random, 50))), "application/x-www-form-urlencoded"));
            case 12:
                // Never "." or "..": the URI would drop such a segment and post somewhere else.
                path = $"/t{Uri.EscapeDataString(RandomText(random, random.Next(0, 300)))}/oauth2/v2.0/token";
                break;
            default:
                fields["scope"] = RandomText(random, random.Next(0, 100));
                fields["grant_type"] = random.Next(2) == 0 ? "password" : RandomText(random, 20);
                break;
        }

        var snapshot = new Dictionary<string, string>(fields);
        return new FuzzRequest($"{index} form kind {kind}", () => Post(path, new FormUrlEncodedContent(snapshot), null));
    }

    private static HttpRequestMessage Post(string path, HttpContent content, string? contentType)
    {
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
    }

    private static string UnsignedToken(string assertion, string alg, string signature)
    {
        var payload = assertion.Split('.')[1];
        var header = Base64UrlEncoder.Encode($$"""{"alg":"{{alg}}","typ":"JWT"}""");
        return $"{header}.{payload}.{signature}";
    }

    private const string Specials = "%&=+.;:/?#\"'<>{}[]\\ \t\r\n";

    private static string RandomText(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.Next(10) switch
            {
                0 => (char)random.Next(0x80, 0x2FFF),
                1 => Specials[random.Next(Specials.Length)],
                _ => (char)random.Next(0x21, 0x7F),
            };
        }

        return new string(chars);
    }

    private static string RandomBase64Url(Random random, int bytes) => Base64UrlEncoder.Encode(RandomBytes(random, bytes));

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
