using System.Security.Authentication;
using Azure;
using Azure.Identity;
using Microsoft.Identity.Client;
using RoleViewer.Api.Identity;

namespace RoleViewer.Api.Tests;

public sealed class FailureTranslatorTests
{
    private static readonly FailureContext Context = new(TestIds.ClientId, TestIds.TenantId, TestIds.SubscriptionId, TestIds.ObjectId,
        "https://localhost:5443/", "https://localhost:5443/issuer/", "system:serviceaccount:roleviewer:wrong-sa", ["api://AzureADTokenExchange"]);

    private static AuthenticationFailedException Entra(string code, string text) =>
        new("ClientAssertionCredential authentication failed", new MsalServiceException("invalid_client", $"{code}: {text}"));

    [Theory]
    [InlineData("AADSTS700211", "issuer")]
    [InlineData("AADSTS700212", "audience")]
    [InlineData("AADSTS700213", "system:serviceaccount:roleviewer:wrong-sa")]
    [InlineData("AADSTS7002138", "case")]
    [InlineData("AADSTS700024", "expired")]
    [InlineData("AADSTS700016", "client id")]
    [InlineData("AADSTS90002", "Tenant")]
    [InlineData("AADSTS50049", "instance discovery")]
    public void Translate_WhenEntraRefuses_ReturnsTheCodeAndASpecificFix(string code, string fixMentions)
    {
        var failure = FailureTranslator.Translate(Entra(code, "refused."), Context);

        Assert.Equal(UpstreamSource.Entra, failure.Source);
        Assert.Equal(code, failure.Code);
        Assert.Contains(fixMentions, failure.Fix, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(502, failure.ProblemStatus);
    }

    [Fact]
    public void Translate_WhenArmForbids_NamesTheReaderRoleAndTheSubscription()
    {
        var failure = FailureTranslator.Translate(new RequestFailedException(403, "The client does not have authorization.", "AuthorizationFailed", null), Context);

        Assert.Equal(UpstreamSource.Arm, failure.Source);
        Assert.Equal("AuthorizationFailed", failure.Code);
        Assert.Equal(403, failure.Status);
        // The name infra/main.bicep gives the custom role (unique per tenant, so it carries the subscription).
        Assert.Contains($"\"RoleViewer Reader ({TestIds.SubscriptionId})\"", failure.Fix, StringComparison.Ordinal);
        Assert.Contains($"/subscriptions/{TestIds.SubscriptionId}", failure.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401, "ExpiredAuthenticationToken", 502)]
    [InlineData(429, "SubscriptionRequestsThrottled", 503)]
    [InlineData(503, "ServiceUnavailable", 503)]
    [InlineData(500, "InternalServerError", 502)]
    public void Translate_WhenArmFails_MapsToAGatewayStatus(int status, string code, int problemStatus)
    {
        var failure = FailureTranslator.Translate(new RequestFailedException(status, "failed", code, null), Context);

        Assert.Equal(code, failure.Code);
        Assert.Equal(problemStatus, failure.ProblemStatus);
    }

    [Fact]
    public void Translate_WhenCertificateIsUntrusted_TellsToTrustTheCa()
    {
        var tls = new HttpRequestException("The SSL connection could not be established.",
            new AuthenticationException("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot"));
        var exception = new AuthenticationFailedException("ClientAssertionCredential authentication failed", new RequestFailedException("Retry failed", tls));

        var failure = FailureTranslator.Translate(exception, Context);

        Assert.Equal(UpstreamCodes.UntrustedRoot, failure.Code);
        Assert.Contains("SSL_CERT_DIR", failure.Fix, StringComparison.Ordinal);
        Assert.Contains("token endpoint", failure.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_WhenCredentialUnavailable_IsAConfigurationProblem()
    {
        var failure = FailureTranslator.Translate(new CredentialUnavailableException("AZURE_CLIENT_ID not set."), Context);

        Assert.Equal(UpstreamSource.Configuration, failure.Source);
        Assert.Equal(503, failure.ProblemStatus);
    }

    [Fact]
    public void Translate_WhenArmTimesOut_IsGatewayTimeout()
    {
        var failure = FailureTranslator.Translate(new TaskCanceledException("The operation was canceled.", new TimeoutException()), Context);

        Assert.Equal(UpstreamCodes.Timeout, failure.Code);
        Assert.Equal(504, failure.ProblemStatus);
    }
}
