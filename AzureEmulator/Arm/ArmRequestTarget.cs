namespace AzureEmulator.Arm;

/// <summary>
/// What an ARM URL addresses: {scope}/providers/Microsoft.Authorization/{collection}[/{name}]. The scope may
/// itself contain "providers" (a resource), so the last Microsoft.Authorization segment decides.
/// </summary>
public sealed record ArmRequestTarget(ArmScope Scope, string Collection, string? Name)
{
    public const string RoleAssignments = "roleAssignments";
    public const string RoleDefinitions = "roleDefinitions";

    public static bool TryParse(string path, out ArmRequestTarget target)
    {
        target = new ArmRequestTarget(ArmScope.Root, "", null);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = -1;
        for (var i = segments.Length - 3; i >= 0; i--)
        {
            if (segments[i].Equals("providers", StringComparison.OrdinalIgnoreCase)
                && segments[i + 1].Equals("Microsoft.Authorization", StringComparison.OrdinalIgnoreCase))
            {
                at = i;
                break;
            }
        }

        if (at < 0 || segments.Length - at > 4 || !ArmScope.TryParse(string.Join('/', segments[..at]), out var scope))
        {
            return false;
        }

        var collection = segments[at + 2];
        collection = collection.Equals(RoleAssignments, StringComparison.OrdinalIgnoreCase) ? RoleAssignments
            : collection.Equals(RoleDefinitions, StringComparison.OrdinalIgnoreCase) ? RoleDefinitions
            : "";
        if (collection.Length == 0)
        {
            return false;
        }

        target = new ArmRequestTarget(scope, collection, segments.Length - at == 4 ? segments[at + 3] : null);
        return true;
    }

    /// <summary>The SDK operation name used in counters, e.g. "roleAssignments.list".</summary>
    public string OperationFor(string method) => (method.ToUpperInvariant(), Name) switch
    {
        ("GET", null) => $"{Collection}.list",
        ("GET", _) => $"{Collection}.get",
        ("PUT", not null) => $"{Collection}.create",
        ("DELETE", not null) => $"{Collection}.delete",
        _ => $"{Collection}.unsupported",
    };
}
