using Deque.AxeCore.Playwright;

namespace RoleViewer.Web.Tests;

public sealed class SecurityAndAccessibilityTests(BrowserFixture browser)
{
    [Fact(Timeout = 60_000)]
    public async Task Page_Response_CarriesSecurityHeaders()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api);
        using var client = web.CreateClient();

        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact(Timeout = 60_000)]
    public async Task Page_Html_HasNoInlineScript()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        using var client = web.CreateClient();

        var html = await client.GetStringAsync("/", TestContext.Current.CancellationToken);

        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*>");
        Assert.NotEmpty(scripts);
        Assert.All(scripts, script => Assert.Contains("src=", script.Value, StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task Fragment_ReturnsLiveRegionsUncached()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api);
        using var client = web.CreateClient();

        using var response = await client.GetAsync("/fragments/dashboard?sort=since&dir=desc", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Contains("id=\"assignments-region\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-sort=\"descending\"", html, StringComparison.Ordinal);
        Assert.Contains("RoleViewer Reader", html, StringComparison.Ordinal);
    }

    [Theory(Timeout = 90_000)]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Page_InEitherTheme_HasNoSeriousOrCriticalAxeViolations(ColorScheme scheme)
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        api.Stale = true;
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        var (page, problems) = await browser.NewPageAsync(scheme);
        await page.GotoAsync(web.Url.ToString());
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" })).ToBeVisibleAsync();

        var results = await page.RunAxe();

        var serious = results.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}");
        Assert.Empty(serious);
        Assert.DoesNotContain(problems, p => p.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task Page_Keyboard_ReachesSortLinksAndTryItWithVisibleFocus()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        var (page, _) = await browser.NewPageAsync();
        await page.GotoAsync(web.Url.ToString());
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" })).ToBeVisibleAsync();

        var reached = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string>(
                "(() => { const e = document.activeElement; return (e.textContent || '').trim() + '|' + getComputedStyle(e).outlineStyle; })()");
            reached.Add(focused);
        }

        Assert.Contains(reached, f => f.StartsWith("Skip to content|", StringComparison.Ordinal));
        Assert.Contains(reached, f => f.StartsWith("Role ▲|solid", StringComparison.Ordinal));
        Assert.Contains(reached, f => f.StartsWith("Grant role|solid", StringComparison.Ordinal));
    }
}
