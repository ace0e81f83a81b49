using System.Text.RegularExpressions;
using RoleViewer.Web.ApiClients;
using RoleViewer.Web.TryIt;

namespace RoleViewer.Web.Dashboard;

/// <summary>What a failed doctor check means, what was expected beside what the pod got, and the one fix to apply,
/// as a complete command when there is one. The Api's own text stays available as the raw error.</summary>
public sealed partial record Remedy(string? Code, string What, IReadOnlyList<Mismatch> Mismatches, string Fix, string? Command)
{
    private const string ExchangeAudience = "api://AzureADTokenExchange";

    /// <param name="trusted">The federated credential as the emulator's directory holds it; only known in local runs.</param>
    public static Remedy For(IdentityCheck check, IdentityReport identity, FederatedCredentialInfo? trusted)
    {
        var code = (check.Id == "tokenExchange" ? identity.LastExchange?.ErrorCode : null)
            ?? (check.Detail is { } detail && KnownCode().Match(detail) is { Success: true } match ? match.Value : null);
        var token = identity.ProjectedToken;
        var known = KnownErrors.Explain(code);
        var what = known?.What ?? FirstSentence(Format.HumanizeTimestamps(check.Detail ?? check.Title));
        var fix = known?.Fix ?? check.Fix ?? "See the raw error below.";
        const string NotVisible = "not visible from the pod: list the identity's federated credentials";

        return code?.ToUpperInvariant() switch
        {
            "AADSTS700213" => new(code, what,
                [new("Subject", trusted?.Subject ?? NotVisible, token?.Subject ?? "unknown: the projected token could not be read")],
                fix, FederatedCredentialCommand(identity)),
            "AADSTS700211" => new(code, what,
                [new("Issuer", trusted?.Issuer ?? NotVisible, token?.Issuer ?? "unknown: the projected token could not be read")],
                fix, FederatedCredentialCommand(identity)),
            "AADSTS70021" => new(code, what,
                [
                    new("Issuer", trusted?.Issuer ?? NotVisible, token?.Issuer ?? "unknown"),
                    new("Subject", trusted?.Subject ?? NotVisible, token?.Subject ?? "unknown"),
                ],
                fix, FederatedCredentialCommand(identity)),
            "AADSTS700212" => new(code, what,
                [new("Audience", ExchangeAudience, token?.Audiences is { Count: > 0 } audiences ? string.Join(", ", audiences) : "none")],
                fix, null),
            "AUTHORIZATIONFAILED" => new(code, what,
                [new("Permission", $"Microsoft.Authorization/roleAssignments/read at /subscriptions/{identity.SubscriptionId}", "HTTP 403 AuthorizationFailed")],
                fix, ScopeFormat.GrantCommand(identity.PrincipalObjectId, identity.SubscriptionId)),
            _ => new(code, what, [], fix, null),
        };
    }

    /// <summary>Creates (or, under the same name, replaces) a federated credential trusting exactly what this pod presents.
    /// Complete as printed: the identity's name and group are looked up from its client id.</summary>
    public static string? FederatedCredentialCommand(IdentityReport identity)
    {
        if (identity.ClientId is not { } clientId || identity.ProjectedToken is not { Issuer: { } issuer, Subject: { } subject })
        {
            return null;
        }

        string Lookup(string field) => $"az identity list --query \"[?clientId=='{clientId}'] | [0].{field}\" -o tsv";
        return $"az identity federated-credential create --name aks-{subject.Split(':')[^1]} " +
               $"--identity-name \"$({Lookup("name")})\" --resource-group \"$({Lookup("resourceGroup")})\" " +
               $"--issuer {issuer} --subject {subject} --audiences {ExchangeAudience}";
    }

    private static string FirstSentence(string text)
    {
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? text : text[..(end + 1)];
    }

    [GeneratedRegex(@"\b(AADSTS\d+|AuthorizationFailed)\b")]
    private static partial Regex KnownCode();
}

/// <summary>One value the set-up needs beside the value the pod actually has.</summary>
public sealed record Mismatch(string What, string Expected, string Got);
