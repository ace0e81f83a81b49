using AzureEmulator.Arm;
using AzureEmulator.Hosting;
using AzureEmulator.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AzureEmulator.Tests.Arm;

public sealed class ArmBearerValidatorTests : IDisposable
{
    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("arm-bearer-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 13, 18, 0, 0, TimeSpan.Zero));
    private readonly EntraSigningKeys _keys;
    private readonly ArmBearerValidator _validator;

    private static readonly DirectoryIdentity App = new()
    {
        ClientId = SeedIds.ApiClientId,
        ObjectId = SeedIds.ApiObjectId,
        DisplayName = "id-roleviewer-api",
    };

    public ArmBearerValidatorTests()
    {
        _keys = new EntraSigningKeys(Options.Create(new EmulatorOptions { StateDirectory = _stateDirectory }), _time);
        _validator = new ArmBearerValidator(_keys, _time);
    }

    private string Token(string audience = "https://management.azure.com/", string? tenant = null, int lifetimeSeconds = 3600) =>
        _keys.CreateAccessToken(new AccessTokenRequest(App, tenant ?? SeedIds.TenantId, audience, TimeSpan.FromSeconds(lifetimeSeconds)));

    [Theory]
    [InlineData("https://management.azure.com/")]
    [InlineData("https://management.azure.com")]
    [InlineData("https://management.core.windows.net/")]
    public async Task ValidateAsync_WhenTokenIsForArm_ReturnsTheCaller(string audience)
    {
        var (caller, error) = await _validator.ValidateAsync("Bearer " + Token(audience), SeedIds.TenantId);

        Assert.Null(error);
        Assert.Equal(Guid.Parse(SeedIds.ApiObjectId), caller!.ObjectId);
        Assert.Equal(SeedIds.ApiClientId, caller.ClientId);
    }

    [Fact]
    public async Task ValidateAsync_WhenExpired_Returns401ExpiredAuthenticationToken()
    {
        var token = Token(lifetimeSeconds: 60);
        _time.Advance(TimeSpan.FromMinutes(2));

        var (_, error) = await _validator.ValidateAsync("Bearer " + token, SeedIds.TenantId);

        Assert.Equal(401, error!.Status);
        Assert.Equal("ExpiredAuthenticationToken", error.Code);
        Assert.Equal("The access token expiry UTC time '5/13/2026 6:01:00 PM' is earlier than current UTC time '5/13/2026 6:02:00 PM'.", error.Message);
        Assert.StartsWith("Bearer authorization_uri=\"https://login.windows.net/\", error=\"invalid_token\"", error.Challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_WhenAudienceIsAnotherResource_Returns401InvalidAuthenticationTokenAudience()
    {
        var (_, error) = await _validator.ValidateAsync("Bearer " + Token("https://vault.azure.net"), SeedIds.TenantId);

        Assert.Equal("InvalidAuthenticationTokenAudience", error!.Code);
        Assert.Contains("'https://vault.azure.net'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_WhenSignedByAnotherKey_Returns401InvalidAuthenticationToken()
    {
        var otherDirectory = Directory.CreateTempSubdirectory("arm-bearer-other-").FullName;
        try
        {
            var other = new EntraSigningKeys(Options.Create(new EmulatorOptions { StateDirectory = otherDirectory }), _time);
            var forged = other.CreateAccessToken(new AccessTokenRequest(App, SeedIds.TenantId, "https://management.azure.com/", TimeSpan.FromHours(1)));

            var (_, error) = await _validator.ValidateAsync("Bearer " + forged, SeedIds.TenantId);

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
        var (_, error) = await _validator.ValidateAsync("Bearer " + Token(tenant: Guid.NewGuid().ToString()), SeedIds.TenantId);

        Assert.Equal("InvalidAuthenticationTokenTenant", error!.Code);
    }

    [Theory]
    [InlineData(null, "Authentication failed. The 'Authorization' header is missing.")]
    [InlineData("Basic abc", "Authentication failed. The 'Authorization' header is provided in an invalid format.")]
    public async Task ValidateAsync_WhenHeaderIsMissingOrNotBearer_Returns401AuthenticationFailed(string? header, string message)
    {
        var (_, error) = await _validator.ValidateAsync(header, SeedIds.TenantId);

        Assert.Equal(("AuthenticationFailed", message), (error!.Code, error.Message));
    }

    public void Dispose() => Directory.Delete(_stateDirectory, recursive: true);
}
