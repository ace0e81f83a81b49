using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AzureEmulator.Tls;

namespace AzureEmulator.Tests.Tls;

/// <summary>The certificate the emulator serves, per OS and per state of the ASP.NET Core development certificate.</summary>
public sealed class ServerCertificateChoiceTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("roleviewer-tls-choice-").FullName;

    public static TheoryData<DevelopmentCertificateState> AllStates => [.. Enum.GetValues<DevelopmentCertificateState>()];

    [Theory]
    [MemberData(nameof(AllStates))]
    public void For_OnLinux_IsTheEmulatorCaWithNothingToFix(DevelopmentCertificateState state)
    {
        var choice = ServerCertificateChoice.For(OSPlatform.Linux, state);

        Assert.Equal(ServerCertificateKind.EmulatorCa, choice.Kind);
        Assert.Null(choice.Fix);
        Assert.Contains("SSL_CERT_DIR", choice.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WINDOWS")]
    [InlineData("OSX")]
    public void For_OnWindowsOrMacWithATrustedDevelopmentCertificate_ServesItWithNothingToFix(string os)
    {
        var choice = ServerCertificateChoice.For(OSPlatform.Create(os), DevelopmentCertificateState.Trusted);

        Assert.Equal(ServerCertificateKind.DevelopmentCertificate, choice.Kind);
        Assert.Null(choice.Fix);
    }

    [Theory]
    [InlineData("WINDOWS")]
    [InlineData("OSX")]
    public void For_OnWindowsOrMacWithAnUntrustedDevelopmentCertificate_ServesItAndNamesTheTrustCommand(string os)
    {
        var choice = ServerCertificateChoice.For(OSPlatform.Create(os), DevelopmentCertificateState.Untrusted);

        Assert.Equal(ServerCertificateKind.DevelopmentCertificate, choice.Kind);
        Assert.Equal("dotnet dev-certs https --trust", choice.Fix);
        Assert.Contains("not trusted", choice.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WINDOWS")]
    [InlineData("OSX")]
    public void For_OnWindowsOrMacWithoutADevelopmentCertificate_FallsBackToTheCaAndNamesTheCommand(string os)
    {
        var choice = ServerCertificateChoice.For(OSPlatform.Create(os), DevelopmentCertificateState.Missing);

        Assert.Equal(ServerCertificateKind.EmulatorCa, choice.Kind);
        Assert.Equal("dotnet dev-certs https --trust", choice.Fix);
        Assert.Contains("no ASP.NET Core HTTPS development certificate", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_OnLinux_ServesTheCaServerCertificateWithoutLookingForADevelopmentCertificate()
    {
        var authority = LocalCertificateAuthority.LoadOrCreate(_stateDirectory, TimeProvider.System);
        var looked = false;

        var selected = EmulatorServerCertificate.Select(OSPlatform.Linux, authority, () =>
        {
            looked = true;
            return DevelopmentLike();
        });

        Assert.False(looked);
        Assert.Equal(ServerCertificateKind.EmulatorCa, selected.Choice.Kind);
        Assert.Equal(authority.ServerCertificate.Thumbprint, selected.Certificate.Thumbprint);
    }

    [Fact]
    public void Select_OnWindowsWithAnUntrustedDevelopmentCertificate_ServesThatCertificate()
    {
        var authority = LocalCertificateAuthority.LoadOrCreate(_stateDirectory, TimeProvider.System);
        using var development = DevelopmentLike();

        // Self-signed and in no trust store of this machine: untrusted, as before 'dotnet dev-certs https --trust'.
        var selected = EmulatorServerCertificate.Select(OSPlatform.Windows, authority, () => development);

        Assert.Equal(ServerCertificateKind.DevelopmentCertificate, selected.Choice.Kind);
        Assert.Equal(development.Thumbprint, selected.Certificate.Thumbprint);
        Assert.Equal(ServerCertificateChoice.TrustDevelopmentCertificate, selected.Choice.Fix);
    }

    [Fact]
    public void Select_OnMacWithoutADevelopmentCertificate_ServesTheCaServerCertificate()
    {
        var authority = LocalCertificateAuthority.LoadOrCreate(_stateDirectory, TimeProvider.System);

        var selected = EmulatorServerCertificate.Select(OSPlatform.OSX, authority, () => null);

        Assert.Equal(ServerCertificateKind.EmulatorCa, selected.Choice.Kind);
        Assert.Equal(authority.ServerCertificate.Thumbprint, selected.Certificate.Thumbprint);
        Assert.NotNull(selected.Choice.Fix);
    }

    [Fact]
    public void Pick_TakesTheNewestValidDevelopmentCertificateWithAKeyAndIgnoresLookalikes()
    {
        using var older = DevelopmentLike(notAfter: Now.AddDays(100));
        using var newer = DevelopmentLike(notAfter: Now.AddDays(300));
        using var expired = DevelopmentLike(notBefore: Now.AddDays(-400), notAfter: Now.AddDays(-1));
        using var otherSubject = DevelopmentLike(subject: "CN=example.com", notAfter: Now.AddDays(900));
        using var withoutMarker = DevelopmentLike(marker: false, notAfter: Now.AddDays(900));
        using var withoutKey = X509CertificateLoader.LoadCertificate(DevelopmentLike(notAfter: Now.AddDays(900)).RawData);

        var picked = DevelopmentCertificate.Pick([older, expired, otherSubject, withoutMarker, withoutKey, newer], Now);

        Assert.Equal(newer.Thumbprint, picked?.Thumbprint);
        Assert.Null(DevelopmentCertificate.Pick([expired, otherSubject, withoutMarker, withoutKey], Now));
    }

    [Fact]
    public void StateOf_ASelfSignedCertificateNoStoreTrusts_IsUntrusted_AndNoCertificateIsMissing()
    {
        using var development = DevelopmentLike();

        Assert.Equal(DevelopmentCertificateState.Untrusted, DevelopmentCertificate.StateOf(development));
        Assert.Equal(DevelopmentCertificateState.Missing, DevelopmentCertificate.StateOf(null));
    }

    /// <summary>A certificate shaped like the one 'dotnet dev-certs https' creates (made here, never put in a store).</summary>
    private static X509Certificate2 DevelopmentLike(
        string subject = "CN=localhost", bool marker = true, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: true));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        if (marker)
        {
            request.CertificateExtensions.Add(new X509Extension(new Oid(DevelopmentCertificate.ExtensionOid), [2], critical: false));
        }

        return request.CreateSelfSigned(notBefore ?? Now.AddDays(-1), notAfter ?? Now.AddDays(365));
    }

    public void Dispose() => Directory.Delete(_stateDirectory, recursive: true);
}
