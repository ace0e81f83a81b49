using AzureEmulator.Arm;
using AzureEmulator.Hosting;
using AzureEmulator.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AzureEmulator.Tests.Arm;

public sealed class ArmBearerValidatorTests : IDisposable
{
    private readonly string stateDirectory = Directory.CreateTempSubdirectory("arm-bearer-").FullName;
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 5, 13, 18, 0, 0, TimeSpan.Zero));
    private readonly EntraSigningKeys keys;
    private readonly ArmBearerValidator validator;

    private static readonly DirectoryIdentity App = new()
    {
        ClientId = SeedDirectory.ApiClientId,
        ObjectId = SeedDirectory.ApiObjectId,
        DisplayName = "id-roleviewer-api",
    };

    public ArmBearerValidatorTests()
    {
        keys = new EntraSigningKeys(Options.Create(new EmulatorOptions { StateDirectory = stateDirectory }), time);
        validator = new ArmBearerValidator(keys, time);
    }

    private string Token(string audience = "https://management.azure.com/", string tenant = SeedDirectory.TenantId, int lifetimeSeconds = 3600) =>
        keys.CreateAccessToken(new AccessTokenRequest(App, tenant, audience, TimeSpan.FromSeconds(lifetimeSeconds)));

    [Theory]
    [InlineData("https://management.azure.com/")]
    [InlineData("https://management.azure.com")]
    [InlineData("https://management.core.windows.net/")]
    public async Task ValidateAsync_WhenTokenIsForArm_ReturnsTheCaller(string audience)
    {
        var (caller, error) = await validator.ValidateAsync("Bearer " + Token(audience), SeedDirectory.TenantId);

        Assert.Null(error);
        Assert.Equal(Guid.Parse(SeedDirectory.ApiObjectId), caller!.ObjectId);
        Assert.Equal(SeedDirectory.ApiClientId, caller.ClientId);
    }

    [Fact]
    public async Task ValidateAsync_WhenExpired_Returns401ExpiredAuthenticationToken()
    {
        var token = Token(lifetimeSeconds: 60);
        time.Advance(TimeSpan.FromMinutes(2));

        var (_, error) = await validator.ValidateAsync("Bearer " + token, SeedDirectory.TenantId);

        Assert.Equal(401, error!.Status);
        Assert.Equal("ExpiredAuthenticationToken", error.Code);
        Assert.Equal("The access token expiry UTC time '5/13/2026 6:01:00 PM' is earlier than current UTC time '5/13/2026 6:02:00 PM'.", error.Message);
        Assert.StartsWith("Bearer authorization_uri=\"https://login.windows.net/\", error=\"invalid_token\"", error.Challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_WhenAudienceIsAnotherResource_Returns401InvalidAuthenticationTokenAudience()
    {
        var (_, error) = await validator.ValidateAsync("Bearer " + Token("https://vault.azure.net"), SeedDirectory.TenantId);

        Assert.Equal("InvalidAuthenticationTokenAudience", error!.Code);
        Assert.Contains("'https://vault.azure.net'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_WhenSignedByAnotherKey_Returns401InvalidAuthenticationToken()
    {
        var otherDirectory = Directory.CreateTempSubdirectory("arm-bearer-other-").FullName;
        try
        {
            var other = new EntraSigningKeys(Options.Create(new EmulatorOptions { StateDirectory = otherDirectory }), time);
            var forged = other.CreateAccessToken(new AccessTokenRequest(App, SeedDirectory.TenantId, "https://management.azure.com/", TimeSpan.FromHours(1)));

            var (_, error) = await validator.ValidateAsync("Bearer " + forged, SeedDirectory.TenantId);

            Assert.Equal("InvalidAuthenticationToken", error!.Code);
        }
        finally
        {
            Directory.Delete(otherDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task ValidateAsync_WhenTenantDiffers_Returns401InvalidAuthenticationTokenTenant()
    {
        var (_, error) = await validator.ValidateAsync("Bearer " + Token(tenant: Guid.NewGuid().ToString()), SeedDirectory.TenantId);

        Assert.Equal("InvalidAuthenticationTokenTenant", error!.Code);
    }

    [Theory]
    [InlineData(null, "Authentication failed. The 'Authorization' header is missing.")]
    [InlineData("Basic abc", "Authentication failed. The 'Authorization' header is provided in an invalid format.")]
    public async Task ValidateAsync_WhenHeaderIsMissingOrNotBearer_Returns401AuthenticationFailed(string? header, string message)
    {
        var (_, error) = await validator.ValidateAsync(header, SeedDirectory.TenantId);

        Assert.Equal(("AuthenticationFailed", message), (error!.Code, error.Message));
    }

    public void Dispose() => Directory.Delete(stateDirectory, recursive: true);
}
