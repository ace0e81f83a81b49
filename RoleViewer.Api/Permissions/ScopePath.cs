namespace RoleViewer.Api.Permissions;

/// <summary>
/// A scope the permission check accepts: /subscriptions/{id}[/resourceGroups/{rg}[/providers/{ns}/{type}/{name}[/{type}/{name}…]]].
/// Compared segment by segment, ignoring case, as ARM does.
/// </summary>
public sealed class ScopePath
{
    public const string Forms =
        "/subscriptions/{subscriptionId}, /subscriptions/{subscriptionId}/resourceGroups/{resourceGroup} or a resource id " +
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/{namespace}/{type}/{name}";

    private readonly string[] _segments;

    private ScopePath(string[] segments)
    {
        _segments = segments;
        Value = "/" + string.Join('/', segments);
    }

    public string Value { get; }

    public string SubscriptionId => _segments[1];

    public static ScopePath Subscription(string subscriptionId) => new(["subscriptions", subscriptionId]);

    /// <summary>Parses a scope; on failure <paramref name="problem"/> says what is wrong with it.</summary>
    public static bool TryParse(string text, out ScopePath scope, out string problem)
    {
        scope = null!;
        var segments = text.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        problem = segments switch
        {
            [] => $"The scope is empty. Use {Forms}.",
            _ when !Is(segments[0], "subscriptions") => $"The scope '{text}' does not start with /subscriptions/. Use {Forms}.",
            [_] => $"The scope '{text}' names no subscription id.",
            [_, var id, ..] when !Guid.TryParse(id, out _) => $"The scope '{text}' names subscription '{id}', which is not a GUID.",
            [_, _] => "",
            [_, _, var rg, ..] when !Is(rg, "resourceGroups") => $"The scope '{text}' continues with '{rg}' after the subscription; expected resourceGroups/{{name}}. Use {Forms}.",
            [_, _, _] => $"The scope '{text}' names no resource group after resourceGroups/.",
            [_, _, _, _] => "",
            [_, _, _, _, var providers, ..] when !Is(providers, "providers") => $"The scope '{text}' continues with '{providers}' after the resource group; expected providers/{{namespace}}/{{type}}/{{name}}.",
            _ when segments.Length < 8 || (segments.Length - 6) % 2 != 0 =>
                $"The resource id '{text}' is incomplete: after providers/{{namespace}} it needs pairs of {{type}}/{{name}}.",
            _ => "",
        };
        if (problem.Length > 0)
        {
            return false;
        }

        scope = new ScopePath(segments);
        return true;
    }

    /// <summary>True when this scope is <paramref name="other"/> or one of its ancestors: an assignment here applies there.</summary>
    public bool IsAtOrAbove(ScopePath other)
    {
        if (_segments.Length > other._segments.Length)
        {
            return false;
        }

        for (var i = 0; i < _segments.Length; i++)
        {
            if (!Is(_segments[i], other._segments[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>How deep the scope is: the closer an assignment is to the checked scope, the better it explains the answer.</summary>
    public int Depth => _segments.Length;

    public override string ToString() => Value;

    private static bool Is(string segment, string expected) => segment.Equals(expected, StringComparison.OrdinalIgnoreCase);
}
