namespace RoleViewer.Api.Permissions;

/// <summary>ARM's action matching: case-insensitive, '*' stands for any run of characters, '/' included.</summary>
public static class ActionPattern
{
    /// <summary>True when <paramref name="pattern"/> (e.g. "*/read", "Microsoft.Compute/*") covers <paramref name="action"/>.</summary>
    public static bool Matches(string pattern, string action)
    {
        int p = 0, a = 0, star = -1, resume = 0;
        while (a < action.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = a;
            }
            else if (p < pattern.Length && char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(action[a]))
            {
                p++;
                a++;
            }
            else if (star >= 0)
            {
                // Backtrack: let the last '*' swallow one more character.
                p = star + 1;
                a = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>The first pattern that covers the action, or null.</summary>
    public static string? FirstMatch(IReadOnlyList<string>? patterns, string action)
    {
        foreach (var pattern in patterns ?? [])
        {
            if (Matches(pattern, action))
            {
                return pattern;
            }
        }

        return null;
    }
}
