namespace AzureEmulator.Arm;

/// <summary>
/// An ARM scope: "/" (tenant root), a management group, a subscription, a resource group or a resource.
/// Comparison is case-insensitive like ARM's; the original spelling is kept for responses.
/// </summary>
public sealed class ArmScope : IEquatable<ArmScope>
{
    private ArmScope(string value, string[] segments)
    {
        Value = value;
        Segments = segments;
        SubscriptionId = segments.Length >= 2 && segments[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) ? segments[1] : null;
    }

    public static ArmScope Root { get; } = new("/", []);

    /// <summary>The normalised scope: leading slash, no trailing slash, no empty segments.</summary>
    public string Value { get; }

    public string? SubscriptionId { get; }

    private string[] Segments { get; }

    public bool IsRoot => Segments.Length == 0;

    public bool IsSubscription => SubscriptionId is not null && Segments.Length == 2;

    /// <summary>
    /// Parses what a client sends: SDKs send the scope unencoded and sometimes with a doubled or missing slash.
    /// Only shapes ARM knows are accepted: subscriptions/{id}[/resourceGroups/{rg}[/providers/{ns}/{type}/{name}...]]
    /// and providers/Microsoft.Management/managementGroups/{id}.
    /// </summary>
    public static bool TryParse(string? text, out ArmScope scope)
    {
        scope = Root;
        var segments = (text ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (segments.Length == 0)
        {
            return true;
        }

        if (!IsValidShape(segments))
        {
            return false;
        }

        scope = new ArmScope("/" + string.Join('/', segments), segments);
        return true;
    }

    public static ArmScope Parse(string text) =>
        TryParse(text, out var scope) ? scope : throw new FormatException($"'{text}' is not an ARM scope.");

    public static ArmScope ForSubscription(string subscriptionId) => Parse($"/subscriptions/{subscriptionId}");

    /// <summary>True when this scope is the other one or one of its ancestors (an assignment here applies there).</summary>
    public bool IsAtOrAbove(ArmScope other)
    {
        if (Segments.Length > other.Segments.Length)
        {
            return false;
        }

        for (var i = 0; i < Segments.Length; i++)
        {
            if (!Segments[i].Equals(other.Segments[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when one scope contains the other (assignments "that apply to" a scope, or live below it).</summary>
    public bool IsRelatedTo(ArmScope other) => IsAtOrAbove(other) || other.IsAtOrAbove(this);

    public bool Equals(ArmScope? other) => other is not null && Value.Equals(other.Value, StringComparison.OrdinalIgnoreCase);

    public override bool Equals(object? obj) => Equals(obj as ArmScope);

    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    public override string ToString() => Value;

    private static bool IsValidShape(string[] s)
    {
        if (s[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            if (s.Length < 2 || !Guid.TryParse(s[1], out _))
            {
                return false;
            }

            if (s.Length == 2)
            {
                return true;
            }

            if (s.Length < 4 || !s[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            // A resource: resourceGroups/{rg}/providers/{namespace}/{type}/{name}[/{childType}/{childName}]...
            return s.Length == 4
                || (s.Length >= 8 && s[4].Equals("providers", StringComparison.OrdinalIgnoreCase) && (s.Length - 6) % 2 == 0);
        }

        return s.Length == 4
            && s[0].Equals("providers", StringComparison.OrdinalIgnoreCase)
            && s[1].Equals("Microsoft.Management", StringComparison.OrdinalIgnoreCase)
            && s[2].Equals("managementGroups", StringComparison.OrdinalIgnoreCase);
    }
}
