namespace RoleViewer.Web.Tests.Infrastructure;

/// <summary>Where tests keep what a person should be able to look at afterwards (screenshots).</summary>
public static class Artifacts
{
    public static string ScreenshotPath(string name)
    {
        var directory = Environment.GetEnvironmentVariable("ROLEVIEWER_SCREENSHOT_DIR") ?? Path.Combine(RepositoryRoot(), "TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name + ".png");
    }

    /// <summary>A path inside the repository (e.g. docs/page.png), for files the tests regenerate on request.</summary>
    public static string InRepository(string relativePath) => Path.Combine(RepositoryRoot(), relativePath);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RoleViewer.sln")))
            {
                return dir.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}
