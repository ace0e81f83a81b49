using System.Text.RegularExpressions;

namespace AzureEmulator.Identity;

/// <summary>The emulated Entra tenant: its id, the subscriptions that trust it, its service principals and groups.</summary>
public sealed record DirectoryState
{
    public required string TenantId { get; init; }

    /// <summary>Subscriptions whose ARM requests this tenant's tokens are valid for.</summary>
    public IReadOnlyList<string> SubscriptionIds { get; init; } = [];

    public IReadOnlyList<DirectoryIdentity> Identities { get; init; } = [];

    public IReadOnlyList<DirectoryGroup> Groups { get; init; } = [];
}

/// <summary>
/// A security group. Azure RBAC applies a role assigned to a group to its members, and to members of member groups
/// (nesting), which is how teams often grant a workload identity its rights.
/// </summary>
public sealed record DirectoryGroup
{
    public required string ObjectId { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>Object ids of member service principals and groups.</summary>
    public IReadOnlyList<string> Members { get; init; } = [];
}

/// <summary>
/// A service principal (of an app registration or a user-assigned managed identity). Role assignments name it by
/// <see cref="ObjectId"/>; clients authenticate with <see cref="ClientId"/>.
/// </summary>
public sealed record DirectoryIdentity
{
    public required string ClientId { get; init; }

    public required string ObjectId { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>"ManagedIdentity" or "Application" (servicePrincipalType in Graph).</summary>
    public string Kind { get; init; } = "Application";

    /// <summary>The UAMI's ARM resource id; becomes xms_mirid in access tokens.</summary>
    public string? ManagedIdentityResourceId { get; init; }

    public IReadOnlyList<FederatedCredential> FederatedCredentials { get; init; } = [];

    /// <summary>Client secrets (applications only; Entra gives managed identities none).</summary>
    public IReadOnlyList<ClientSecret> ClientSecrets { get; init; } = [];
}

/// <summary>A federated identity credential: trust tokens from Issuer about Subject for Audiences.</summary>
public sealed record FederatedCredential
{
    public required string Name { get; init; }

    /// <summary>Compared exactly with the assertion's iss. "{clusterIssuer}" stands for the emulator's cluster issuer.</summary>
    public required string Issuer { get; init; }

    public required string Subject { get; init; }

    public required IReadOnlyList<string> Audiences { get; init; }

    public string? Description { get; init; }
}

/// <summary>Entra's limits on federated identity credentials.</summary>
public static partial class FederatedCredentialRules
{
    /// <summary>Entra allows at most 20 federated identity credentials per application or managed identity.</summary>
    public const int MaxPerIdentity = 20;

    /// <summary>Graph documents 600 characters for issuer, subject, each audience and the description.</summary>
    public const int MaxFieldLength = 600;

    public static IEnumerable<string> Validate(string name, string? issuer, string? subject, IReadOnlyList<string>? audiences, string? description)
    {
        if (!NamePattern().IsMatch(name))
        {
            yield return "name must be 3-120 characters: letters, digits, '-' and '_', starting with a letter or digit.";
        }

        if (string.IsNullOrEmpty(issuer))
        {
            yield return "issuer is required.";
        }
        else if (issuer.Length > MaxFieldLength)
        {
            yield return $"issuer must be at most {MaxFieldLength} characters.";
        }
        else if (issuer != DirectoryStore.ClusterIssuerPlaceholder
            && (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"issuer must be an https URL (or {DirectoryStore.ClusterIssuerPlaceholder} for the emulator's cluster issuer).";
        }

        if (string.IsNullOrEmpty(subject))
        {
            yield return "subject is required, e.g. system:serviceaccount:<namespace>:<serviceaccount>.";
        }
        else if (subject.Length > MaxFieldLength)
        {
            yield return $"subject must be at most {MaxFieldLength} characters.";
        }

        if (audiences is not { Count: 1 } || string.IsNullOrEmpty(audiences[0]) || audiences[0].Length > MaxFieldLength)
        {
            yield return $"audiences must hold exactly one value (Entra's limit) of at most {MaxFieldLength} characters, normally \"api://AzureADTokenExchange\".";
        }

        if (description?.Length > MaxFieldLength)
        {
            yield return $"description must be at most {MaxFieldLength} characters.";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$")]
    private static partial Regex NamePattern();
}
