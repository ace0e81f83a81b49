using System.Text.Json;

namespace Deploy.Tests;

/// <summary>
/// Renders <c>*.tmpl.yaml</c> with Go's text/template exactly as azd does (Tests/Deploy.Tests/AzdRender, built
/// once per run with Debian's golang-go), except that a missing key fails instead of writing <c>&lt;no value&gt;</c>.
/// </summary>
internal static class AzdRenderer
{
    private static readonly Lazy<Task<string>> Binary = new(BuildAsync);

    /// <summary>The rendered text, or an <see cref="AzdRenderException"/> carrying Go's error.</summary>
    public static async Task<string> RenderAsync(string templatePath, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var binary = await Binary.Value.WaitAsync(cancellationToken);
        var environmentFile = Path.Combine(Path.GetTempPath(), $"roleviewer-azd-env-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(environmentFile, JsonSerializer.Serialize(environment), cancellationToken);
            var (exitCode, output, error) = await Tool.RunAsync(binary, [environmentFile, templatePath], Repository.Root, cancellationToken);
            return exitCode == 0 ? output : throw new AzdRenderException(error.Trim());
        }
        finally
        {
            File.Delete(environmentFile);
        }
    }

    private static async Task<string> BuildAsync()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("roleviewer-azd-render-").FullName, "azd-render");
        var environment = new Dictionary<string, string>
        {
            // Build with the installed Go only; never download a toolchain or modules (the program uses the standard library).
            ["GOTOOLCHAIN"] = "local",
            ["GOPROXY"] = "off",
            ["CGO_ENABLED"] = "0",
        };
        var (exitCode, _, error) = await Tool.RunAsync("go", ["build", "-o", output, "."], Repository.Path("Tests", "Deploy.Tests", "AzdRender"),
            CancellationToken.None, environment: environment);
        return exitCode == 0 ? output : throw new InvalidOperationException($"go build of Tests/Deploy.Tests/AzdRender failed:\n{error}");
    }
}

internal sealed class AzdRenderException(string message) : Exception(message);
