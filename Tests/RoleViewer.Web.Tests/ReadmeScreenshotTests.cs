namespace RoleViewer.Web.Tests;

/// <summary>
/// The page as README.md shows it (docs/page.png): a local run with every check green and Try-it on. Every run writes
/// TestResults/screenshots/readme-page.png; ROLEVIEWER_UPDATE_README_SCREENSHOT=1 also replaces docs/page.png, so a
/// redesign of the page refreshes the README with one command (see README.md, "The page").
/// </summary>
public sealed class ReadmeScreenshotTests(BrowserFixture browser)
{
    public const string ReadmeScreenshot = "docs/page.png";

    [Fact(Timeout = 90_000)]
    public async Task Page_AsTheReadmeShowsIt_RendersEverySectionAndIsCaptured()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync(web.Url.ToString());

        await Expect(page.GetByTestId("identity-overall")).ToContainTextAsync("every check passes");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pod" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Try it" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("seed-state-notice")).ToHaveCountAsync(0);
        var screenshot = await page.ScreenshotAsync(new() { FullPage = true, Path = Artifacts.ScreenshotPath("readme-page") });

        Assert.True(screenshot.Length > 20_000, $"The screenshot is only {screenshot.Length} bytes; the page did not render.");
        Assert.Empty(problems);
        if (Environment.GetEnvironmentVariable("ROLEVIEWER_UPDATE_README_SCREENSHOT") == "1")
        {
            await File.WriteAllBytesAsync(Artifacts.InRepository(ReadmeScreenshot), screenshot, TestContext.Current.CancellationToken);
        }
    }
}
