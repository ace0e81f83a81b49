using System.Security.Cryptography;
using System.Text;

namespace AzureEmulator.Identity;

/// <summary>
/// A client secret of an application, as Entra keeps it: the value is shown once, when it is added; only its
/// first three characters (the hint) and a SHA-256 hash are stored.
/// </summary>
public sealed record ClientSecret
{
    public required Guid KeyId { get; init; }

    public string? DisplayName { get; init; }

    public required string Hint { get; init; }

    /// <summary>Base64 SHA-256 of the secret text.</summary>
    public required string SecretHash { get; init; }

    public required DateTimeOffset StartDateTime { get; init; }

    public required DateTimeOffset EndDateTime { get; init; }

    /// <summary>Makes a secret in Entra's form: 40 characters, the hint, "8Q~", then random characters.</summary>
    public static (ClientSecret Secret, string Text) Create(string? displayName, DateTimeOffset now, TimeSpan lifetime)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
        var hint = RandomNumberGenerator.GetString(alphabet.AsSpan(0, 62), 3);
        var text = hint + "8Q~" + RandomNumberGenerator.GetString(alphabet, 34);
        return (new ClientSecret
        {
            KeyId = Guid.NewGuid(),
            DisplayName = displayName,
            Hint = hint,
            SecretHash = Hash(text),
            StartDateTime = now,
            EndDateTime = now + lifetime,
        }, text);
    }

    public bool Matches(string text) =>
        CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(SecretHash), SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Hash(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

public enum ClientSecretOutcome
{
    Added,
    Removed,
    IdentityNotFound,
    NotAnApplication,
    SecretNotFound,
    LimitReached,
    Invalid,
}

/// <param name="Text">The secret's value, only on Added: it is never shown again.</param>
public sealed record ClientSecretChange(ClientSecretOutcome Outcome, ClientSecret? Secret, string? Text, string? Error);
