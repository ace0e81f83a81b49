using System.Buffers.Text;
using System.Text.Json;

namespace RoleViewer.Api.Identity;

/// <summary>The claims of a JWT, read without validating it: we only inspect our own tokens to explain them.</summary>
public sealed class JwtClaims
{
    private readonly JsonElement _payload;

    private JwtClaims(JsonElement payload) => _payload = payload;

    public static bool TryParse(string? token, out JwtClaims claims)
    {
        claims = null!;
        var parts = token?.Trim().Split('.');
        if (parts is not { Length: 3 })
        {
            return false;
        }

        try
        {
            var bytes = Base64Url.DecodeFromChars(parts[1]);
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            claims = new JwtClaims(document.RootElement.Clone());
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    public string? GetString(string name) =>
        _payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A claim that may be a single string or an array of strings, like "aud".</summary>
    public IReadOnlyList<string> GetStrings(string name) =>
        !_payload.TryGetProperty(name, out var value) ? []
        : value.ValueKind == JsonValueKind.String ? [value.GetString()!]
        : value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
        : [];

    public DateTimeOffset? GetTime(string name) =>
        _payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
