using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.RegularExpressions;
using Azure;
using Azure.Identity;
using Microsoft.Identity.Client;

namespace RoleViewer.Api.Identity;

/// <summary>What the pod presented and who it is; lets a fix text name the exact values to change.</summary>
public sealed record FailureContext(
    string? ClientId,
    string? TenantId,
    string? SubscriptionId,
    string? PrincipalObjectId,
    string? AuthorityHost,
    string? AssertionIssuer,
    string? AssertionSubject,
    IReadOnlyList<string>? AssertionAudiences);

/// <summary>Turns Azure.Identity, MSAL, Azure.Core and socket exceptions into an upstream code plus a fix.</summary>
public static partial class FailureTranslator
{
    /// <summary>Prefix of the custom role's name; infra/main.bicep appends the subscription (see <see cref="ReaderRoleNameIn"/>).</summary>
    public const string ReaderRoleName = "RoleViewer Reader";

    /// <summary>The one action RoleViewer needs to list assignments; fix texts ask for it, not for built-in Reader.</summary>
    public const string ReadAction = "Microsoft.Authorization/roleAssignments/read";
    /// <summary>
    /// The custom role as `azd up` creates it: role names are unique per Entra tenant, so the subscription id is
    /// part of the name ("RoleViewer Reader (&lt;subscription id&gt;)").
    /// </summary>
    public static string ReaderRoleNameIn(string? subscriptionId) => $"{ReaderRoleName} ({subscriptionId ?? "<subscription id>"})";

    [GeneratedRegex(@"AADSTS(\d+)")]
    private static partial Regex AadstsCode();

    public static UpstreamFailure Translate(Exception exception, FailureContext context)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is UpstreamException upstream)
        {
            return upstream.Failure;
        }

        var chain = Chain(exception).ToList();
        var fromIdentity = chain.Any(e => e is AuthenticationFailedException or MsalException or CredentialUnavailableException);

        if (chain.OfType<CredentialUnavailableException>().FirstOrDefault() is { } unavailable)
        {
            return new(UpstreamSource.Configuration, null, UpstreamCodes.CredentialUnavailable, unavailable.Message,
                "Run the pod with the label azure.workload.identity/use: \"true\" and a service account annotated with " +
                "azure.workload.identity/client-id, so the webhook injects AZURE_CLIENT_ID, AZURE_TENANT_ID, " +
                "AZURE_FEDERATED_TOKEN_FILE and AZURE_AUTHORITY_HOST. GET /api/identity shows which one is missing.");
        }

        if (fromIdentity && chain.FirstOrDefault(e => e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException) is { } file)
        {
            return new(UpstreamSource.Configuration, null, UpstreamCodes.TokenFileUnreadable, FirstLine(file.Message),
                "The projected service-account token (AZURE_FEDERATED_TOKEN_FILE) cannot be read. Check that the pod carries the label " +
                "azure.workload.identity/use: \"true\" (the webhook mounts the token) and that the container user may read it (fsGroup).");
        }

        var aadsts = chain.Select(e => AadstsCode().Match(e.Message)).FirstOrDefault(m => m.Success);
        if (aadsts is not null)
        {
            var status = chain.OfType<MsalServiceException>().FirstOrDefault()?.StatusCode;
            var code = "AADSTS" + aadsts.Groups[1].Value;
            return new(UpstreamSource.Entra, status is > 0 ? status : null, code, FirstLine(MessageWith(chain, aadsts.Value)), EntraFix(code, context));
        }

        if (chain.OfType<AuthenticationException>().FirstOrDefault() is { } tls)
        {
            var untrusted = chain.Any(e => e.Message.Contains("UntrustedRoot", StringComparison.OrdinalIgnoreCase));
            var where = fromIdentity ? $"the token endpoint ({context.AuthorityHost ?? "AZURE_AUTHORITY_HOST"})" : "Azure Resource Manager";
            return new(UpstreamSource.Network, null, untrusted ? UpstreamCodes.UntrustedRoot : UpstreamCodes.TlsFailure, FirstLine(tls.Message),
                untrusted
                    ? $"The TLS certificate of {where} is signed by a CA this pod does not trust. Trust the CA: locally set " +
                      "SSL_CERT_DIR=<emulator state>/tls/trust:/etc/ssl/certs (the AppHost does this); in an image, add the CA and run update-ca-certificates."
                    : $"The TLS handshake with {where} failed. Check that the endpoint speaks HTTPS and that its certificate names the host you call.");
        }

        if (chain.OfType<RequestFailedException>().FirstOrDefault(e => e.Status > 0) is { } failed && !fromIdentity)
        {
            var code = string.IsNullOrEmpty(failed.ErrorCode) ? $"Http{failed.Status}" : failed.ErrorCode;
            return new(UpstreamSource.Arm, failed.Status, code, ArmMessage(failed), ArmFix(failed.Status, code, context));
        }

        if (chain.Any(e => e is TimeoutException or TaskCanceledException or OperationCanceledException))
        {
            // Our own words, not the exception's: the page shows this text (no stack or internal address).
            return new(UpstreamSource.Network, null, UpstreamCodes.Timeout, fromIdentity ? "The token endpoint did not answer in time." : "ARM did not answer in time.",
                fromIdentity
                    ? "The token endpoint did not answer in time. Check egress to AZURE_AUTHORITY_HOST and retry."
                    : "Azure Resource Manager did not answer in time. Check egress to the ARM endpoint and retry.");
        }

        if (chain.Any(e => e is HttpRequestException or SocketException or IOException))
        {
            var socket = chain.OfType<SocketException>().FirstOrDefault()?.SocketErrorCode.ToString() ?? "no connection";
            return new(UpstreamSource.Network, null, UpstreamCodes.ConnectionFailed, $"The connection to {(fromIdentity ? "the token endpoint" : "ARM")} failed ({socket}).",
                fromIdentity
                    ? $"The token endpoint {context.AuthorityHost ?? "(AZURE_AUTHORITY_HOST)"} could not be reached. Check DNS, egress rules and the AZURE_AUTHORITY_HOST value."
                    : "Azure Resource Manager could not be reached. Check DNS, egress rules and the Arm__Endpoint value.");
        }

        if (fromIdentity)
        {
            return new(UpstreamSource.Entra, null, "AuthenticationFailed", FirstLine(exception.Message),
                "The token exchange failed without an Entra error code. GET /api/identity checks each step of the exchange.");
        }

        return new(UpstreamSource.Network, null, exception.GetType().Name, FirstLine(exception.Message),
            "An unexpected error occurred while calling Azure. The log of this request holds the details.");
    }

    public static string EntraFix(string code, FailureContext c)
    {
        var identity = c.ClientId ?? "(AZURE_CLIENT_ID)";
        var presentedSubject = c.AssertionSubject ?? "(unknown: the projected token could not be read)";
        return code switch
        {
            "AADSTS700211" => $"The federated credential's issuer must equal the cluster's OIDC issuer exactly, trailing slash included; " +
                              $"the pod presented '{c.AssertionIssuer}'. Update the issuer of the federated credential on identity {identity} " +
                              "(az aks show --query oidcIssuerProfile.issuerUrl gives the cluster's issuer).",
            "AADSTS700212" => $"The federated credential's audience must be api://AzureADTokenExchange; the pod presented " +
                              $"'{string.Join(", ", c.AssertionAudiences ?? [])}'. Set the credential's audience (or the webhook's token audience) to api://AzureADTokenExchange.",
            "AADSTS700213" => $"The federated credential's subject must equal system:serviceaccount:<namespace>:<service account>; the pod presented " +
                              $"'{presentedSubject}'. Run the pod under the service account named in the federated credential of identity {identity}, " +
                              $"or add a federated credential with subject '{presentedSubject}'.",
            "AADSTS7002137" or "AADSTS7002138" => $"The federated credential matches the presented subject or issuer only when case is ignored; Entra compares them " +
                              $"case-sensitively. The pod presented subject '{presentedSubject}' and issuer '{c.AssertionIssuer}': fix the case in the federated credential.",
            "AADSTS70021" => $"No federated credential on identity {identity} matches the presented issuer '{c.AssertionIssuer}', subject '{presentedSubject}' " +
                             "and audience together. Compare all three with the federated credential.",
            "AADSTS700024" => "The projected service-account token is expired or not yet valid. The kubelet rotates it: check that the file " +
                              "AZURE_FEDERATED_TOKEN_FILE keeps changing, that nothing copies it once, and that the node clock is in sync.",
            "AADSTS700016" => $"Entra knows no application or managed identity with client id '{identity}' in tenant '{c.TenantId}'. Set the service " +
                              "account annotation azure.workload.identity/client-id to the managed identity's client id (not its object id), and check the tenant.",
            "AADSTS90002" => $"Tenant '{c.TenantId}' does not exist in this cloud. Set the annotation azure.workload.identity/tenant-id (AZURE_TENANT_ID) " +
                             "to the identity's tenant, and AZURE_AUTHORITY_HOST to that tenant's cloud.",
            "AADSTS50049" => $"Entra rejected instance discovery for the authority '{c.AuthorityHost}'. Use a Microsoft cloud authority host, " +
                             "or a host this API recognises as non-Microsoft (it then turns instance discovery off).",
            "AADSTS90061" => "Entra could not fetch the cluster's OIDC discovery document or keys. Enable the AKS OIDC issuer and check that the issuer URL is public.",
            "AADSTS7000216" or "AADSTS7000218" => "No client assertion was sent: the projected token file is empty. Check the projected volume of the pod.",
            "AADSTS50027" => "The projected token file does not hold a valid JWT. Check that AZURE_FEDERATED_TOKEN_FILE points at the projected service-account token.",
            _ => $"Entra refused the token exchange with {code}. See https://login.microsoftonline.com/error?code={code["AADSTS".Length..]}.",
        };
    }

    public static string ArmFix(int status, string code, FailureContext c)
    {
        var principal = c.PrincipalObjectId ?? "<principal object id>";
        var subscription = c.SubscriptionId ?? "<subscription>";
        return (status, code) switch
        {
            (403, _) => $"The identity (object id {principal}) lacks {ReadAction} at /subscriptions/{subscription}. Grant it the " +
                        $"\"{ReaderRoleNameIn(c.SubscriptionId)}\" custom role, which allows only that and roleDefinitions/read: az role assignment create --assignee-object-id {principal} " +
                        $"--assignee-principal-type ServicePrincipal --role \"{ReaderRoleNameIn(c.SubscriptionId)}\" --scope /subscriptions/{subscription}. Access can take a few minutes to apply.",
            (401, "ExpiredAuthenticationToken") => "ARM saw an expired access token. Check the node clock; the API gets a new token on the next call.",
            (401, "InvalidAuthenticationTokenAudience") => "The access token was issued for another audience. Leave the ARM audience at https://management.azure.com/.",
            (401, "InvalidAuthenticationTokenTenant") => $"The identity's tenant '{c.TenantId}' is not the tenant of subscription {subscription}. Use an identity of the subscription's tenant.",
            (401, _) => "ARM did not accept the access token. Check that AZURE_TENANT_ID is the subscription's tenant and that the identity's service principal exists.",
            (404, _) => $"ARM does not know subscription '{subscription}'. Set AZURE_SUBSCRIPTION_ID to a subscription of tenant {c.TenantId}.",
            (429, _) => "ARM is throttling this identity's reads. The API serves its last good list meanwhile; fewer forced refreshes help.",
            (var failed, _) when failed >= 500 => "ARM is failing or unavailable. The API serves its last good list meanwhile; retry later.",
            _ => $"ARM answered {status} {code}.",
        };
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }

    private static string MessageWith(List<Exception> chain, string text) =>
        chain.Select(e => e.Message).LastOrDefault(m => m.Contains(text, StringComparison.Ordinal)) ?? chain[0].Message;

    private static string ArmMessage(RequestFailedException e)
    {
        // RequestFailedException's message repeats status, headers and content; the first line after "Message:" is ARM's own text.
        var lines = e.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var own = lines.FirstOrDefault(l => l.StartsWith("Message:", StringComparison.Ordinal));
        return own is null ? FirstLine(e.Message) : own["Message:".Length..].Trim();
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 600 ? line[..600] : line;
    }
}
