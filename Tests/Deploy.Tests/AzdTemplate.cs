using System.Text.RegularExpressions;

namespace Deploy.Tests;

/// <summary>
/// azd renders <c>*.tmpl.yaml</c> with Go text/template, where a missing key silently becomes
/// <c>&lt;no value&gt;</c>. This renderer supports exactly <c>{{.Env.NAME}}</c> and fails instead.
/// </summary>
internal static partial class AzdTemplate
{
    public static IReadOnlySet<string> Variables(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

    public static string Render(string template, IReadOnlyDictionary<string, string> environment, string source)
    {
        var rendered = Placeholder().Replace(template, match =>
        {
            var name = match.Groups["name"].Value;
            return environment.TryGetValue(name, out var value)
                ? value
                : throw new KeyNotFoundException($"{source}: {{{{.Env.{name}}}}} has no value; azd would render '<no value>'.");
        });

        // Anything else in braces would be a Go template action (or Helm syntax) that azd cannot render as intended.
        var leftover = rendered.IndexOf("{{", StringComparison.Ordinal);
        return leftover < 0 ? rendered : throw new FormatException($"{source}: unsupported template action near '{rendered[leftover..Math.Min(rendered.Length, leftover + 40)]}'.");
    }

    [GeneratedRegex(@"\{\{\s*\.Env\.(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
