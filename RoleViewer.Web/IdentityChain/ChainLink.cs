using RoleViewer.Web.ApiClients;

namespace RoleViewer.Web.IdentityChain;

/// <summary>One step of pod → service-account token → federated credential → Entra token → ARM, coloured by the doctor.</summary>
public sealed record ChainLink(string Id, string Label, string Caption, string Status, string Summary, string? Fix)
{
    /// <summary>What fits in the picture's node; the list below names the step in full.</summary>
    public string ShortLabel => Id == "federatedCredential" ? "Federation" : Label;

    public const string Unknown = "unknown";

    // Entra's answers that mean the federated credential does not match what the pod presented.
    private static readonly HashSet<string> FederationCodes =
        ["AADSTS700211", "AADSTS700212", "AADSTS700213", "AADSTS70021", "AADSTS7002137", "AADSTS7002138", "AADSTS90061"];

    /// <summary>The five links from the doctor's checks; all unknown when the doctor could not be asked.</summary>
    public static IReadOnlyList<ChainLink> From(IdentityReport? identity)
    {
        var checks = identity?.Checks ?? [];
        var exchange = checks.FirstOrDefault(c => c.Id == "tokenExchange");
        var federationBroken = exchange is { Status: IdentityCheck.Fail } && identity?.LastExchange?.ErrorCode is { } code && FederationCodes.Contains(code)
            || exchange?.Detail is { } detail && FederationCodes.Any(c => detail.StartsWith(c + ":", StringComparison.Ordinal));
        return
        [
            Link("pod", "Pod", "webhook variables", checks.Where(c => c.Id.StartsWith("env.", StringComparison.Ordinal))),
            Link("serviceAccountToken", "SA token", "projected, signed by the cluster", checks.Where(c => c.Id is "tokenFile" or "projectedToken")),
            FederatedCredential(exchange, federationBroken),
            Link("entraToken", "Entra token", "token exchange", checks.Where(c => c.Id == "tokenExchange")),
            Link("arm", "ARM", "authorizes the listing", checks.Where(c => c.Id == "armAuthorization")),
        ];
    }

    private static ChainLink Link(string id, string label, string caption, IEnumerable<IdentityCheck> checks)
    {
        var list = checks.ToList();
        if (list.Count == 0)
        {
            return new(id, label, caption, Unknown, "The doctor reported nothing for this step.", null);
        }

        var worst = list.OrderByDescending(c => Rank(c.Status)).First();
        var summary = worst.Status == IdentityCheck.Ok
            ? string.Join(" ", list.Select(c => $"{c.Title}: {c.Detail}"))
            : $"{worst.Title}: {worst.Detail}";
        return new(id, label, caption, worst.Status, summary, worst.Fix);
    }

    private static ChainLink FederatedCredential(IdentityCheck? exchange, bool broken)
    {
        const string id = "federatedCredential", label = "Federated credential", caption = "issuer · subject · audience";
        return exchange switch
        {
            null => new(id, label, caption, Unknown, "The doctor reported no token exchange.", null),
            { Status: IdentityCheck.Ok } => new(id, label, caption, IdentityCheck.Ok, "Entra found a federated credential matching the token's issuer, subject and audience.", null),
            _ when broken => new(id, label, caption, IdentityCheck.Fail, exchange.Detail ?? "The federated credential does not match the token.", exchange.Fix),
            _ => new(id, label, caption, IdentityCheck.Warn, "Not verified: the token exchange failed for another reason (see the Entra token).", null),
        };
    }

    private static int Rank(string status) => status switch { IdentityCheck.Fail => 3, IdentityCheck.Warn => 2, IdentityCheck.Ok => 0, _ => 1 };

    public string StatusWord => Status switch { IdentityCheck.Ok => "passes", IdentityCheck.Warn => "warning", IdentityCheck.Fail => "fails", _ => "unknown" };

    public string Icon => Status switch { IdentityCheck.Ok => "✓", IdentityCheck.Warn => "!", IdentityCheck.Fail => "✗", _ => "?" };
}
