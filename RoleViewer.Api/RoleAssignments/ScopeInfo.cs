namespace RoleViewer.Api.RoleAssignments;

/// <summary>The parts of an ARM scope: /subscriptions/{sub}[/resourceGroups/{rg}[/providers/{ns}/{type}/{name}…]].</summary>
public sealed record ScopeInfo(string Kind, string? SubscriptionId, string? ResourceGroup, string? ResourceType, string? ResourceName)
{
    public const string ManagementGroup = "managementGroup";
    public const string Subscription = "subscription";
    public const string ResourceGroupKind = "resourceGroup";
    public const string Resource = "resource";
    public const string Tenant = "tenant";

    public static ScopeInfo Parse(string scope)
    {
        var segments = (scope ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return new(Tenant, null, null, null, null);
        }

        if (segments.Length >= 4 && Is(segments[0], "providers") && Is(segments[1], "Microsoft.Management") && Is(segments[2], "managementGroups"))
        {
            return new(ManagementGroup, null, null, null, segments[3]);
        }

        if (!Is(segments[0], "subscriptions") || segments.Length < 2)
        {
            return new(Resource, null, null, null, segments[^1]);
        }

        var subscription = segments[1];
        if (segments.Length < 4 || !Is(segments[2], "resourceGroups"))
        {
            return new(Subscription, subscription, null, null, null);
        }

        var group = segments[3];
        // /providers/{ns}/{type}/{name}[/{childType}/{childName}…]: the type joins all type segments, the name is the last one.
        if (segments.Length >= 7 && Is(segments[4], "providers"))
        {
            var rest = segments[5..];
            var types = new List<string> { rest[0] };
            for (var i = 1; i < rest.Length; i += 2)
            {
                types.Add(rest[i]);
            }

            var name = rest.Length % 2 == 1 ? rest[^1] : null;
            return new(Resource, subscription, group, string.Join('/', types), name);
        }

        return new(ResourceGroupKind, subscription, group, null, null);
    }

    private static bool Is(string segment, string expected) => segment.Equals(expected, StringComparison.OrdinalIgnoreCase);
}
