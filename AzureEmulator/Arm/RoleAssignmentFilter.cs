using System.Text.RegularExpressions;

namespace AzureEmulator.Arm;

/// <summary>
/// The role-assignment list <c>$filter</c>: <c>atScope()</c>, <c>assignedTo('{id}')</c> (braces allowed, as the
/// portal sends them), <c>principalId eq '{id}'</c>, and <c>atScope() and assignedTo('{id}')</c>, in any letter case.
/// ARM refuses <c>principalId eq</c> combined with anything (it may name a group, which atScope() cannot resolve).
/// </summary>
public sealed partial record RoleAssignmentFilter(bool AtScope, Guid? AssignedTo, Guid? PrincipalId)
{
    public static RoleAssignmentFilter None { get; } = new(false, null, null);

    public static ArmError Unsupported(string? text) => new(400, "UnsupportedQuery",
        $"The filter '{text}' is not supported. Supported filters are either 'atScope()' or 'principalId eq '{{value}}' ' or 'assignedTo('{{value}}')'.");

    /// <returns>null when the text is not a filter ARM accepts for role assignments.</returns>
    public static RoleAssignmentFilter? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return None;
        }

        var filter = None;
        foreach (var term in ArmFilterTerms.Split(text))
        {
            if (AtScopeTerm().IsMatch(term) && !filter.AtScope)
            {
                filter = filter with { AtScope = true };
            }
            else if (AssignedToTerm().Match(term) is { Success: true } a && filter.AssignedTo is null && Guid.TryParse(a.Groups["id"].Value, out var assignedTo))
            {
                filter = filter with { AssignedTo = assignedTo };
            }
            else if (PrincipalIdTerm().Match(term) is { Success: true } p && filter.PrincipalId is null && Guid.TryParse(p.Groups["id"].Value, out var principalId))
            {
                filter = filter with { PrincipalId = principalId };
            }
            else
            {
                return null;
            }
        }

        return filter.PrincipalId is not null && (filter.AtScope || filter.AssignedTo is not null) ? null : filter;
    }

    /// <summary>Whether an assignment at <paramref name="assignmentScope"/> for <paramref name="principal"/> is listed for <paramref name="requested"/>.</summary>
    /// <param name="assignedToGroups">The groups the assignedTo principal belongs to: their assignments are its too, as in ARM.</param>
    public bool Matches(ArmScope requested, ArmScope assignmentScope, Guid principal, IReadOnlySet<Guid>? assignedToGroups = null)
    {
        var scopeMatches = AtScope ? assignmentScope.IsAtOrAbove(requested) : assignmentScope.IsRelatedTo(requested);
        return scopeMatches
            && (AssignedTo is null || AssignedTo == principal || assignedToGroups?.Contains(principal) == true)
            && (PrincipalId is null || PrincipalId == principal);
    }

    /// <summary>The canonical text, used to carry the filter in nextLink.</summary>
    public override string ToString() => ArmFilterTerms.Join(new[]
    {
        AtScope ? "atScope()" : null,
        AssignedTo is { } a ? $"assignedTo('{a}')" : null,
        PrincipalId is { } p ? $"principalId eq '{p}'" : null,
    });

    [GeneratedRegex(@"^\s*atScope\(\s*\)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AtScopeTerm();

    [GeneratedRegex(@"^\s*assignedTo\(\s*'\{?(?<id>[0-9a-fA-F-]{32,36})\}?'\s*\)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AssignedToTerm();

    [GeneratedRegex(@"^\s*principalId\s+eq\s+'\{?(?<id>[0-9a-fA-F-]{32,36})\}?'\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PrincipalIdTerm();
}

/// <summary>
/// The role-definition list <c>$filter</c>: <c>roleName eq '…'</c>, <c>type eq 'BuiltInRole'|'CustomRole'</c> and
/// <c>atScopeAndBelow()</c> (custom roles assignable below the scope too, on its own), joined with <c>and</c>.
/// </summary>
public sealed partial record RoleDefinitionFilter(string? RoleName, string? Type, bool AtScopeAndBelow = false)
{
    public static RoleDefinitionFilter None { get; } = new(null, null);

    public const string SupportedForms = "roleName eq '{name}', type eq 'BuiltInRole' or type eq 'CustomRole', their combination with 'and', or atScopeAndBelow() alone";

    public static RoleDefinitionFilter? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return None;
        }

        var filter = None;
        foreach (var term in ArmFilterTerms.Split(text))
        {
            if (AtScopeAndBelowTerm().IsMatch(term) && !filter.AtScopeAndBelow)
            {
                filter = filter with { AtScopeAndBelow = true };
                continue;
            }

            var m = EqTerm().Match(term);
            if (!m.Success)
            {
                return null;
            }

            var value = m.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
            switch (m.Groups["field"].Value.ToUpperInvariant())
            {
                case "ROLENAME" when filter.RoleName is null:
                    filter = filter with { RoleName = value };
                    break;
                case "TYPE" when filter.Type is null && (value.Equals("BuiltInRole", StringComparison.OrdinalIgnoreCase) || value.Equals("CustomRole", StringComparison.OrdinalIgnoreCase)):
                    filter = filter with { Type = value };
                    break;
                default:
                    return null;
            }
        }

        return filter.AtScopeAndBelow && (filter.RoleName is not null || filter.Type is not null) ? null : filter;
    }

    public bool Matches(string roleName, string type) =>
        (RoleName is null || RoleName.Equals(roleName, StringComparison.OrdinalIgnoreCase))
        && (Type is null || Type.Equals(type, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => ArmFilterTerms.Join(new[]
    {
        RoleName is { } n ? $"roleName eq '{n.Replace("'", "''", StringComparison.Ordinal)}'" : null,
        Type is { } t ? $"type eq '{t}'" : null,
        AtScopeAndBelow ? "atScopeAndBelow()" : null,
    });

    [GeneratedRegex(@"^\s*(?<field>roleName|type)\s+eq\s+'(?<value>(?:[^']|'')*)'\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EqTerm();

    [GeneratedRegex(@"^\s*atScopeAndBelow\(\s*\)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AtScopeAndBelowTerm();
}

/// <summary>The grammar ARM's $filter values share: terms joined by "and".</summary>
internal static partial class ArmFilterTerms
{
    public static string[] Split(string filter) => AndSeparator().Split(filter.Trim());

    /// <summary>The set terms, joined as ARM writes them.</summary>
    public static string Join(IEnumerable<string?> terms) => string.Join(" and ", terms.OfType<string>());

    // "and" outside quotes only: an even number of quotes must follow.
    [GeneratedRegex(@"\s+and\s+(?=(?:[^']*'[^']*')*[^']*$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AndSeparator();
}
