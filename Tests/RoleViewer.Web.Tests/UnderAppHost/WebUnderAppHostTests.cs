using Deque.AxeCore.Playwright;

namespace RoleViewer.Web.Tests.UnderAppHost;

/// <summary>The page as people see it under the AppHost: real api, real emulator, seeded directory.</summary>
[Collection(SharedAppHost.Name)]
public sealed class WebUnderAppHostTests(AppHostWebFixture stack, BrowserFixture browser)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Within20Seconds = new() { Timeout = 20_000 };
    private const string ReaderRoleId = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    private const string MonitoringReaderRoleId = "43d0d8ad-25c7-4714-9337-8ba259a9fe05";

    [Fact(Timeout = 120_000)]
    public async Task Page_UnderAppHost_ShowsSeededAssignmentGreenIdentityAndPod()
    {
        await stack.App.ResourceNotifications.WaitForResourceHealthyAsync("api", TestContext.Current.CancellationToken);
        var (page, problems) = await browser.NewPageAsync();

        var response = await page.GotoAsync(stack.WebUrl.ToString());

        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" })).ToBeVisibleAsync(Within20Seconds);
        await Expect(page.GetByTestId("identity-overall")).ToContainTextAsync("every check passes", new() { Timeout = 20_000 });
        await Expect(page.Locator("li.check-fail, li.check-warn")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("pod-facts")).ToContainTextAsync(".NET");
        await Expect(page.GetByTestId("api-pod-name")).Not.ToBeEmptyAsync();
        Assert.Contains("frame-ancestors 'none'", await response!.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Artifacts.ScreenshotPath("web-under-apphost"), FullPage = true });

        var axe = await page.RunAxe();

        Assert.Empty(axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}"));
        Assert.Empty(problems);
    }

    [Fact(Timeout = 120_000)]
    public async Task TryIt_UnderAppHost_GrantingReaderShowsHighlightedRowWithoutReload()
    {
        await stack.App.ResourceNotifications.WaitForResourceHealthyAsync("api", TestContext.Current.CancellationToken);
        var (page, _) = await browser.NewPageAsync();
        await page.GotoAsync(stack.WebUrl.ToString());
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" })).ToBeVisibleAsync(Within20Seconds);
        await page.EvaluateAsync("window.sameDocument = true");
        var reader = page.Locator("tbody[data-id]:not(.row-removed)").Filter(new() { Has = page.Locator(".role-name", new() { HasTextString = "Reader" }).GetByText("Reader", new() { Exact = true }) });

        try
        {
            await page.GetByLabel("Built-in role for the app identity").SelectOptionAsync("Reader");
            await page.GetByRole(AriaRole.Button, new() { Name = "Grant role" }).ClickAsync();

            await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Granted Reader", new() { Timeout = 20_000 });
            await Expect(reader).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("row-added"), new() { Timeout = 20_000 });
            Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"));
        }
        finally
        {
            // Leave the seeded state for the other tests, through the emulator's API whatever the page shows.
            await stack.RevokeThroughEmulatorAsync(ReaderRoleId, CancellationToken.None);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task TryIt_UnderAppHost_GrantingThroughAGroupShowsTheRoleAssignedViaTheGroup()
    {
        await stack.App.ResourceNotifications.WaitForResourceHealthyAsync("api", TestContext.Current.CancellationToken);
        var (page, _) = await browser.NewPageAsync();
        await page.GotoAsync(stack.WebUrl.ToString());
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" })).ToBeVisibleAsync(Within20Seconds);
        var viaGroup = page.Locator("tbody[data-id]:not(.row-removed)", new() { HasText = "Monitoring Reader" });

        try
        {
            await page.GetByLabel("Built-in role for the app identity").SelectOptionAsync("Monitoring Reader");
            await page.GetByRole(AriaRole.Button, new() { Name = "Grant via group" }).ClickAsync();

            await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Granted Monitoring Reader to group", new() { Timeout = 20_000 });
            // The real chain: emulator group → ARM assignedTo() → api → page. No 20 s promise here (that is the plain
            // grant's): if the api's 5 s forced-refresh limit defers this one, a cache TTL plus a page refresh may pass.
            await Expect(viaGroup.GetByTestId("via")).ToHaveTextAsync("Group sg-roleviewer-try-it", new() { Timeout = 30_000 });
        }
        finally
        {
            await stack.RevokeThroughEmulatorAsync(MonitoringReaderRoleId, CancellationToken.None);
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task TryIt_UnderAppHost_BreakingFederationShowsAadsts700213AndRepairTurnsGreen()
    {
        await stack.App.ResourceNotifications.WaitForResourceHealthyAsync("api", TestContext.Current.CancellationToken);
        var (page, _) = await browser.NewPageAsync();
        await page.GotoAsync(stack.WebUrl.ToString());
        await Expect(page.GetByTestId("identity-overall")).ToContainTextAsync("every check passes", new() { Timeout = 20_000 });

        try
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Break federation (wrong subject)" }).ClickAsync();

            await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Federation broken", new() { Timeout = 20_000 });
            // The Api's own doctor: Try-it asked it to probe, so it fails although its access token is still cached.
            var exchange = page.Locator("li.check-fail[data-check-id='tokenExchange']");
            await Expect(exchange).ToContainTextAsync("AADSTS700213", new() { Timeout = 60_000 });
            await Expect(exchange).ToContainTextAsync("Fix:");
            await Expect(exchange.GetByTestId("got")).ToHaveTextAsync("system:serviceaccount:roleviewer:roleviewer-api");
            await Expect(exchange.GetByTestId("expected")).ToHaveTextAsync("system:serviceaccount:roleviewer:not-the-trusted-account");
            await Expect(page.Locator("a.chain-node[data-link='entraToken']")).ToHaveAttributeAsync("data-status", "fail");
            await Expect(page.Locator("a.chain-node[data-link='federatedCredential']")).ToHaveAttributeAsync("data-status", "fail");

            await page.GetByRole(AriaRole.Button, new() { Name = "Repair federation" }).ClickAsync();

            await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Federation repaired", new() { Timeout = 20_000 });
            await Expect(page.GetByTestId("identity-overall")).ToContainTextAsync("every check passes", new() { Timeout = 60_000 });
        }
        finally
        {
            // Whether or not the page's repair ran: the other tests need the seeded federation.
            await stack.RestoreFederationThroughEmulatorAsync(CancellationToken.None);
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task TryIt_UnderAppHost_ResetToSeedUndoesABrokenFederationAndAGrantAndClearsTheNotice()
    {
        await stack.App.ResourceNotifications.WaitForResourceHealthyAsync("api", TestContext.Current.CancellationToken);
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync(stack.WebUrl.ToString());
        await Expect(page.GetByTestId("identity-overall")).ToContainTextAsync("every check passes", new() { Timeout = 20_000 });
        var notice = page.GetByTestId("seed-state-notice");
        await Expect(notice).ToHaveCountAsync(0, new() { Timeout = 20_000 });

        await page.GetByLabel("Built-in role for the app identity").SelectOptionAsync("Reader");
        await page.GetByRole(AriaRole.Button, new() { Name = "Grant role" }).ClickAsync();
        await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Granted Reader", new() { Timeout = 20_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Break federation (wrong subject)" }).ClickAsync();
        await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Federation broken", new() { Timeout = 20_000 });

        // The real emulator's report, through the web: the grant and the changed subject, and where they are saved.
        await Expect(notice).ToContainTextAsync("Role assignment added: Reader for id-roleviewer-api", new() { Timeout = 30_000 });
        await Expect(notice).ToContainTextAsync("not-the-trusted-account");
        await Expect(notice).ToContainTextAsync("directory.json");

        await page.GetByText("Reset to seed…", new() { Exact = true }).First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, reset to seed" }).ClickAsync();

        await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Reset to seed:", new() { Timeout = 20_000 });
        await Expect(notice).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("identity-overall")).ToContainTextAsync("every check passes", new() { Timeout = 60_000 });
        await Expect(page.Locator("tbody:not(.row-removed) .role-name").GetByText("Reader", new() { Exact = true })).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.Empty(problems);
    }

    [Fact(Timeout = 180_000)]
    public async Task Permissions_UnderAppHost_TryItGrantingReaderFlipsVirtualMachineReadToAllowedWithinOneRefresh()
    {
        await stack.App.ResourceNotifications.WaitForResourceHealthyAsync("api", TestContext.Current.CancellationToken);
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync($"{stack.WebUrl}?action=Microsoft.Compute/virtualMachines/read#permissions");
        var verdict = page.GetByTestId("permission-verdict");
        await Expect(verdict).ToContainTextAsync("Denied", new() { Timeout = 20_000 });
        await Expect(page.Locator("a.chain-node[data-status='ok']")).ToHaveCountAsync(5, new() { Timeout = 20_000 });

        try
        {
            await page.GetByLabel("Built-in role for the app identity").SelectOptionAsync("Reader");
            await page.GetByRole(AriaRole.Button, new() { Name = "Grant role" }).ClickAsync();

            await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Granted Reader", new() { Timeout = 20_000 });
            // Try-it's forced refresh re-reads ARM once; the panel's answer comes with it.
            await Expect(verdict).ToContainTextAsync("Allowed", new() { Timeout = 20_000 });
            await Expect(page.GetByTestId("permission-granted-by")).ToContainTextAsync("Reader");
            await Expect(page.GetByTestId("permission-granted-by")).ToContainTextAsync("*/read");
            await page.Locator("#permissions").ScreenshotAsync(new() { Path = Artifacts.ScreenshotPath("permissions-under-apphost-allowed") });
        }
        finally
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Revoke role" }).ClickAsync();
            await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Revoked Reader", new() { Timeout = 20_000 });
        }

        await Expect(verdict).ToContainTextAsync("Denied", new() { Timeout = 20_000 });
        Assert.Empty(problems);
    }

    [Fact(Timeout = 180_000)]
    public async Task Page_UnderAppHost_WhenApiStopsShowsBannerAndRecoversByItself()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await stack.App.ResourceNotifications.WaitForResourceHealthyAsync("api", cancellationToken);
        var (page, _) = await browser.NewPageAsync();
        await page.GotoAsync(stack.WebUrl.ToString());
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" })).ToBeVisibleAsync(Within20Seconds);
        await page.EvaluateAsync("window.sameDocument = true");

        try
        {
            await stack.StopAsync("api", cancellationToken);

            await Expect(page.GetByTestId("api-banner")).ToContainTextAsync("RoleViewer API", new() { Timeout = 30_000 });
            var reloaded = await page.GotoAsync(stack.WebUrl.ToString());
            Assert.Equal(200, reloaded!.Status);
            await Expect(page.GetByTestId("api-banner")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Role assignments" })).ToBeVisibleAsync();
            await page.EvaluateAsync("window.sameDocument = true");
        }
        finally
        {
            await stack.StartAsync("api", cancellationToken);
        }

        await stack.App.ResourceNotifications.WaitForResourceHealthyAsync("api", cancellationToken);
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("api-banner")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"));
    }
}
