using AzureEmulator.Identity;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AzureEmulator.Tests;

/// <summary>An emulator whose projected token lives 10 s, so the kubelet-style rotation (at 80 %) happens during a test.</summary>
public sealed class ShortLivedTokenEmulatorFixture : EmulatorFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Emulator:ServiceAccountTokenLifetimeSeconds"] = "10",
    };
}

public sealed class ServiceAccountTokenRotationTests(ShortLivedTokenEmulatorFixture emulator) : IClassFixture<ShortLivedTokenEmulatorFixture>
{
    [Fact(Timeout = 60_000)]
    public async Task TokenFile_WhenWritten_IsAksShapedWithoutTrailingNewline()
    {
        var text = await emulator.ReadTokenFileAsync(TestContext.Current.CancellationToken);
        var token = new JsonWebToken(text);

        Assert.False(text.EndsWith('\n'));
        Assert.Equal("RS256", token.Alg);
        Assert.EndsWith("/", token.Issuer, StringComparison.Ordinal);
        Assert.Equal(SeedIds.ApiSubject, token.Subject);
        Assert.Equal(["api://AzureADTokenExchange"], token.Audiences);
        Assert.Equal(token.GetPayloadValue<long>("iat"), token.GetPayloadValue<long>("nbf"));
        Assert.Equal(10, token.GetPayloadValue<long>("exp") - token.GetPayloadValue<long>("iat"));
        Assert.True(token.TryGetPayloadValue<Dictionary<string, object>>("kubernetes.io", out var kubernetes));
        Assert.Equal("roleviewer", kubernetes["namespace"]?.ToString());
    }

    [Fact(Timeout = 60_000)]
    public async Task TokenFile_AfterEightyPercentOfLifetime_RotatesAndNextExchangePresentsNewToken()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = emulator.CreateClient();
        var first = await emulator.ReadTokenFileAsync(cancellationToken);

        var rotated = first;
        while (rotated == first)
        {
            await Task.Delay(100, cancellationToken);
            rotated = await File.ReadAllTextAsync(emulator.TokenFile, cancellationToken);
        }

        var response = await TokenEndpointClient.ExchangeAsync(client, rotated, cancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(new JsonWebToken(first).Id, new JsonWebToken(rotated).Id);
        Assert.True(new JsonWebToken(rotated).ValidTo > new JsonWebToken(first).ValidTo);
    }

    [Fact(Timeout = 60_000)]
    public async Task Exchange_WhileTokenFileRotates_NeverFails()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = emulator.CreateClient();
        await emulator.ReadTokenFileAsync(cancellationToken);
        using var rotating = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var rotations = 0;
        var rotator = Task.Run(async () =>
        {
            while (!rotating.IsCancellationRequested)
            {
                (await client.PostAsync(new Uri("/admin/service-account-token/rotate", UriKind.Relative), null, CancellationToken.None)).EnsureSuccessStatusCode();
                rotations++;
            }
        }, CancellationToken.None);

        var failures = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            // Like the SDKs: read the whole file, send it verbatim.
            var assertion = await File.ReadAllTextAsync(emulator.TokenFile, cancellationToken);
            var response = await TokenEndpointClient.ExchangeAsync(client, assertion, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add(await response.Content.ReadAsStringAsync(cancellationToken));
            }
        }

        await rotating.CancelAsync();
        await rotator;

        Assert.Empty(failures);
        Assert.True(rotations > 1, $"the token file rotated {rotations} times during the exchanges");
    }

    [Fact(Timeout = 60_000)]
    public async Task Rotate_WhenRequested_ReturnsNewExpiry()
    {
        using var client = emulator.CreateClient();
        await emulator.ReadTokenFileAsync(TestContext.Current.CancellationToken);

        var response = await client.PostAsync(new Uri("/admin/service-account-token/rotate", UriKind.Relative), null, TestContext.Current.CancellationToken);
        var rotation = await response.Content.ReadFromJsonAsync<RotationResponse>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), rotation!.ExpiresOn - rotation.IssuedAt);
        // The kubelet-style timer may rotate again right after; the file never goes back to an older token.
        Assert.True(new JsonWebToken(await File.ReadAllTextAsync(emulator.TokenFile, TestContext.Current.CancellationToken)).ValidTo >= rotation.ExpiresOn.UtcDateTime);
    }
}
