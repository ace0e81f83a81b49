using System.Net;
using System.Net.Http.Json;
using Deque.AxeCore.Playwright;

namespace RoleViewer.Web.Tests;

/// <summary>The review's findings (issue 17), each tried as people do: desktop 1440×900 and phone 390×844, light and dark.</summary>
public sealed class PageUxTests(BrowserFixture browser)
{
    private const string WrongSubject = "system:serviceaccount:roleviewer:not-the-trusted-account";
    private static readonly LocatorAssertionsToBeVisibleOptions Within20Seconds = new() { Timeout = 20_000 };

    // 1 and 4: the list people come for is on the first screen; the doctor is one line; nothing scrolls sideways.
    [Theory(Timeout = 150_000)]
    [InlineData(1440, 900, ColorScheme.Light)]
    [InlineData(1440, 900, ColorScheme.Dark)]
    [InlineData(390, 844, ColorScheme.Light)]
    [InlineData(390, 844, ColorScheme.Dark)]
    [InlineData(360, 740, ColorScheme.Light)]
    public async Task Page_Healthy_ShowsTheListOnTheFirstScreenBelowAOneLineVerdict(int width, int height, ColorScheme scheme)
    {
        var screen = new Screen(width, height, scheme);
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        api.AddAssignment("22222222-3333-4444-8555-666666666666", "Reader", "BuiltInRole", "View all resources.",
            "acdd72a7-3385-48ef-bd42-f606fba81ae7", groupId: "7c9e6679-7425-40de-944b-e07fc1f90ae7");
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        var (page, problems) = await browser.NewPageAsync(screen);

        await page.GotoAsync(web.Url.ToString());

        var verdict = page.GetByTestId("identity-overall");
        await Expect(verdict).ToContainTextAsync("every check passes");
        await page.ScreenshotAsync(new() { Path = Artifacts.ScreenshotPath($"ux-first-screen-{screen.Name}") });
        await Expect(page.Locator("li.check-ok").First).Not.ToBeVisibleAsync();
        var firstRow = page.Locator("table.assignments tbody").First;
        await Expect(firstRow).ToBeInViewportAsync();
        // Evaluated, not BoundingBoxAsync: the background refresh may replace the element between resolving and measuring.
        var verdictHeight = await verdict.EvaluateAsync<double>("e => e.getBoundingClientRect().height");
        Assert.True(verdictHeight < (screen.IsPhone ? 100 : 50), $"the verdict is {verdictHeight} px high: more than one line");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
            $"the page scrolls sideways: {await page.EvaluateAsync<int>("document.documentElement.scrollWidth")} px wide at {width} px");

        await verdict.ClickAsync();
        await Expect(page.Locator("li.check-ok")).ToHaveCountAsync(4);
        await Expect(page.Locator("li.check-ok").First).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await page.ScreenshotAsync(new() { Path = Artifacts.ScreenshotPath($"ux-healthy-{screen.Name}"), FullPage = true });

        var axe = await page.RunAxe();
        Assert.Empty(axe.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}"));
        Assert.Empty(problems);
    }

    // 3: a broken federation is pinned on top and open, expected beside got, one fix with a complete command to copy.
    [Theory(Timeout = 150_000)]
    [InlineData(1440, 900, ColorScheme.Light)]
    [InlineData(1440, 900, ColorScheme.Dark)]
    [InlineData(390, 844, ColorScheme.Light)]
    [InlineData(390, 844, ColorScheme.Dark)]
    public async Task Page_WhenFederationBroken_PinsTheFailedCheckWithExpectedGotAndOneCopyableFix(int width, int height, ColorScheme scheme)
    {
        var screen = new Screen(width, height, scheme);
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var api = await FakeRoleViewerApi.StartAsync(cancellationToken);
        await BreakFederationAsync(api, cancellationToken);
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        var (page, problems) = await browser.NewPageAsync(screen);

        await page.GotoAsync(web.Url.ToString());

        await Expect(page.GetByTestId("identity-overall")).ToContainTextAsync("Identity is broken: Token exchange with Entra failed");
        var pinned = page.GetByTestId("failing-checks").Locator("li.check").First;
        await Expect(pinned).ToHaveAttributeAsync("data-check-id", "tokenExchange");
        await Expect(pinned).ToBeInViewportAsync(new() { Ratio = 0.1f });
        var top = await pinned.EvaluateAsync<double>("e => e.getBoundingClientRect().top");
        Assert.True(top < await page.Locator("#role-assignments").EvaluateAsync<double>("e => e.getBoundingClientRect().top"), "the failed check must come before the list");
        await Expect(pinned.GetByTestId("expected")).ToHaveTextAsync(WrongSubject);
        await Expect(pinned.GetByTestId("got")).ToHaveTextAsync(FakeRoleViewerApi.RightSubject);
        await Expect(pinned.Locator(".check-fix")).ToHaveCountAsync(1);
        var command = pinned.GetByTestId("fix-tokenExchange");
        await Expect(command).ToHaveTextAsync(new Regex(
            $"^az identity federated-credential create --name aks-roleviewer-api --identity-name \"\\$\\(az identity list .*{FakeRoleViewerApi.ClientId}.*\\)\" " +
            $"--resource-group \"\\$\\(az identity list .*\\)\" --issuer {Regex.Escape(FakeRoleViewerApi.Issuer)} --subject {FakeRoleViewerApi.RightSubject} --audiences api://AzureADTokenExchange$"));
        Assert.DoesNotContain("…", await command.TextContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("`", await page.Locator("#identity").InnerTextAsync(), StringComparison.Ordinal);

        // The raw error is there, folded: its text is not on screen twice, or at all until asked for.
        await Expect(pinned.GetByTestId("raw-error")).Not.ToBeVisibleAsync();
        Assert.DoesNotContain("No matching federated identity record", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
        await pinned.GetByText("Raw error").ClickAsync();
        await Expect(pinned.GetByTestId("raw-error")).ToContainTextAsync("AADSTS700213: No matching federated identity record");

        await pinned.GetByRole(AriaRole.Button, new() { Name = "Copy command" }).ClickAsync();
        Assert.Equal(await command.TextContentAsync(), await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await page.ScreenshotAsync(new() { Path = Artifacts.ScreenshotPath($"ux-federation-broken-{screen.Name}") });

        var axe = await page.RunAxe();
        Assert.Empty(axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}"));
        Assert.Empty(problems);
    }

    // 2 and 5: two Try-it clicks within the Api's refresh limit keep the list, say "refreshing in N s", and the page
    // points at the row the change added (beside the table on a desktop, scrolled to on a phone).
    [Theory(Timeout = 120_000)]
    [InlineData(1440, 900, ColorScheme.Light)]
    [InlineData(390, 844, ColorScheme.Dark)]
    public async Task TryIt_TwoQuickChanges_KeepTheListSayRefreshingInAndPointAtTheNewRow(int width, int height, ColorScheme scheme)
    {
        var screen = new Screen(width, height, scheme);
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        api.RefreshRateLimit = TimeSpan.FromSeconds(6);
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        var (page, problems) = await browser.NewPageAsync(screen);
        await page.GotoAsync(web.Url.ToString());
        await Expect(page.Locator("tbody[data-id]")).ToHaveCountAsync(1);
        await page.EvaluateAsync("window.sameDocument = true");
        if (!screen.IsPhone)
        {
            var table = (await page.Locator("#role-assignments").BoundingBoxAsync())!;
            var tryIt = (await page.Locator("#try-it").BoundingBoxAsync())!;
            Assert.True(tryIt.X >= table.X + table.Width && tryIt.Y < table.Y + table.Height, "Try-it belongs beside the table on a desktop");
        }

        await page.GetByLabel("Built-in role for the app identity").SelectOptionAsync("Reader");
        await page.GetByRole(AriaRole.Button, new() { Name = "Grant role" }).ClickAsync();
        await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Granted Reader");
        await Expect(page.Locator("tbody.row-added")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.GetByLabel("Built-in role for the app identity").SelectOptionAsync("Contributor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Grant role" }).ClickAsync();

        await Expect(page.GetByTestId("refresh-pending")).ToContainTextAsync(new Regex(@"refreshing in\s+\d+ s"), new() { Timeout = 20_000 });
        // The list stays (the fake has no cache, so it may already show the second grant), with no error in its place.
        await Expect(page.Locator("table.assignments")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("section-failure")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("api-banner")).ToHaveCountAsync(0);
        var contributor = page.Locator("tbody.row-added", new() { HasText = "Contributor" });
        await Expect(contributor).ToBeVisibleAsync(Within20Seconds);
        await Expect(contributor).ToContainTextAsync("new");
        await Expect(contributor).ToBeInViewportAsync();
        await Expect(page.GetByTestId("refresh-pending")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"));
        await page.ScreenshotAsync(new() { Path = Artifacts.ScreenshotPath($"ux-try-it-{screen.Name}") });
        Assert.Empty(problems);
    }

    // 2: NEW is computed against what this viewer saw, so a row that arrives while the Api is away is new when it is back.
    [Fact(Timeout = 150_000)]
    public async Task Page_WhenApiIsAwayAndBack_KeepsTheListAndMarksWhatTheViewerHasNotSeen()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api);
        var (page, _) = await browser.NewPageAsync(Screen.Desktop);
        await page.GotoAsync(web.Url.ToString());
        await Expect(page.Locator("tbody[data-id]")).ToHaveCountAsync(1);

        api.Down = true;
        await Expect(page.GetByTestId("api-banner")).ToBeVisibleAsync(Within20Seconds);
        await Expect(page.Locator("#assignments-region").GetByTestId("section-failure")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-kept]")).ToBeVisibleAsync();
        api.AddAssignment("99999999-2222-4333-8444-555555555555", "Reader", "BuiltInRole", "View all resources.", "acdd72a7-3385-48ef-bd42-f606fba81ae7");
        api.Down = false;

        await Expect(page.Locator("tbody.row-added", new() { HasText = "Built-in" })).ToContainTextAsync("new", new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("api-banner")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-kept]")).ToHaveCountAsync(0);
    }

    // 6: columns as the portal's: role, scope in words, assigned via (direct or the group), since; details by keyboard and touch.
    [Theory(Timeout = 150_000)]
    [InlineData(1440, 900, ColorScheme.Light)]
    [InlineData(1440, 900, ColorScheme.Dark)]
    [InlineData(390, 844, ColorScheme.Light)]
    [InlineData(390, 844, ColorScheme.Dark)]
    public async Task Table_ReadsLikeThePortalWithDetailsReachableByKeyboardAndTouch(int width, int height, ColorScheme scheme)
    {
        const string Group = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
        var screen = new Screen(width, height, scheme);
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        api.AddAssignment("22222222-3333-4444-8555-666666666666", "Reader", "BuiltInRole", "View all resources.",
            "acdd72a7-3385-48ef-bd42-f606fba81ae7", groupId: Group);
        await using var web = RoleViewerWebFactory.Start(api);
        var (page, problems) = await browser.NewPageAsync(screen);
        await page.GotoAsync(web.Url.ToString());

        await Expect(page.Locator("table.assignments thead th")).ToHaveTextAsync([new Regex("^Role"), new Regex("^Scope"), new Regex("^Assigned via"), new Regex("^Since")]);
        var direct = page.Locator("tbody[data-sort-role='RoleViewer Reader']");
        var viaGroup = page.Locator("tbody[data-sort-role='Reader']");
        await Expect(direct.GetByTestId("via")).ToHaveTextAsync("Direct");
        await Expect(viaGroup.GetByTestId("via")).ToHaveTextAsync($"Group {Group}");
        await Expect(direct.Locator(".scope")).ToHaveTextAsync("Subscription");
        var tableText = await page.Locator("table.assignments").InnerTextAsync();
        Assert.DoesNotContain("ServicePrincipal", tableText, StringComparison.Ordinal);
        Assert.DoesNotContain("inherited", tableText, StringComparison.Ordinal);
        await Expect(direct.Locator("time.when")).ToHaveAttributeAsync("title", "2026-01-01 00:00:00 UTC");
        await Expect(direct.Locator("time.when")).ToHaveTextAsync("1 Jan 2026");

        var details = direct.GetByTestId("assignment-details");
        await Expect(details).Not.ToBeVisibleAsync();
        var expand = direct.GetByRole(AriaRole.Button, new() { Name = "RoleViewer Reader" });
        if (screen.IsPhone)
        {
            await expand.TapAsync();
        }
        else
        {
            await expand.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
        }

        await Expect(expand).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(details).ToBeVisibleAsync();
        await Expect(details).ToContainTextAsync("Reads role assignments and role definitions.");
        await Expect(details).ToContainTextAsync($"/subscriptions/{FakeRoleViewerApi.SubscriptionId}");
        await Expect(details).ToContainTextAsync("None: the role applies without an ABAC condition.");
        await details.GetByRole(AriaRole.Button, new() { Name = "Copy full scope" }).ClickAsync();
        Assert.Equal($"/subscriptions/{FakeRoleViewerApi.SubscriptionId}", await page.EvaluateAsync<string>("navigator.clipboard.readText()"));

        // The open row stays open through the background refresh (every 2 s here).
        await page.WaitForTimeoutAsync(4500);
        await Expect(details).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await page.ScreenshotAsync(new() { Path = Artifacts.ScreenshotPath($"ux-table-details-{screen.Name}"), FullPage = true });
        Assert.Empty(problems);
    }

    // 7: sort and filter in the browser: no reload, focus and scroll kept, no Apply needed; the server fallback without script.
    [Theory(Timeout = 150_000)]
    [InlineData(1440, 900, ColorScheme.Light)]
    [InlineData(390, 844, ColorScheme.Dark)]
    public async Task SortAndFilter_WorkWithoutReloadAndKeepFocus(int width, int height, ColorScheme scheme)
    {
        var screen = new Screen(width, height, scheme);
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        api.AddAssignment("99999999-2222-4333-8444-555555555555", "Reader", "BuiltInRole", "View all resources.", "acdd72a7-3385-48ef-bd42-f606fba81ae7");
        api.AddAssignment("88888888-2222-4333-8444-555555555555", "Contributor", "BuiltInRole", "Manage all resources.", "b24988ac-6180-42a0-ab88-20f7382dd24c");
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        var (page, _) = await browser.NewPageAsync(screen);
        await page.GotoAsync(web.Url.ToString());
        var names = page.Locator("tbody[data-id]:visible .role-name");
        await Expect(names).ToHaveTextAsync(["Contributor", "Reader", "RoleViewer Reader"]);
        await page.EvaluateAsync("window.sameDocument = true");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Apply" })).ToBeHiddenAsync();

        if (screen.IsPhone)
        {
            await page.GetByLabel("Order").SelectOptionAsync("desc");
        }
        else
        {
            await page.Locator("#role-assignments").ScrollIntoViewIfNeededAsync();
            await page.EvaluateAsync("window.scrollBy(0, 40)");
            var scrolled = await page.EvaluateAsync<double>("window.scrollY");
            await page.GetByRole(AriaRole.Link, new() { Name = "Role", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Role", Exact = true })).ToHaveAttributeAsync("aria-sort", "descending");
            Assert.Equal("role", await page.EvaluateAsync<string>("document.activeElement.dataset.sortKey"));
            Assert.Equal(scrolled, await page.EvaluateAsync<double>("window.scrollY"));
        }

        await Expect(names).ToHaveTextAsync(["RoleViewer Reader", "Reader", "Contributor"]);
        var filter = page.GetByLabel("Filter", new() { Exact = true });
        await filter.FocusAsync();
        await page.Keyboard.TypeAsync("read");
        await page.GetByLabel("Role type").SelectOptionAsync("BuiltInRole");
        await Expect(names).ToHaveTextAsync(["Reader"]);
        await Expect(page.Locator("[data-shown-count]")).ToHaveTextAsync("1");
        await filter.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("filter-q", await page.EvaluateAsync<string>("document.activeElement.id"));
        Assert.Contains("dir=desc", page.Url, StringComparison.Ordinal);
        Assert.Contains("q=read", page.Url, StringComparison.Ordinal);

        // The background refresh renders the same view from the query string.
        await page.WaitForTimeoutAsync(4500);
        await Expect(names).ToHaveTextAsync(["Reader"]);
        Assert.Equal("filter-q", await page.EvaluateAsync<string>("document.activeElement.id"));
        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"));
        await page.ScreenshotAsync(new() { Path = Artifacts.ScreenshotPath($"ux-filtered-{screen.Name}") });
    }

    [Fact(Timeout = 60_000)]
    public async Task SortAndFilter_WithoutScript_AreServedByTheServer()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        api.AddAssignment("99999999-2222-4333-8444-555555555555", "Reader", "BuiltInRole", "View all resources.", "acdd72a7-3385-48ef-bd42-f606fba81ae7");
        api.AddAssignment("88888888-2222-4333-8444-555555555555", "Contributor", "BuiltInRole", "Manage all resources.", "b24988ac-6180-42a0-ab88-20f7382dd24c");
        await using var web = RoleViewerWebFactory.Start(api);
        var (page, _) = await browser.NewPageAsync(Screen.Desktop, javaScript: false);
        await page.GotoAsync(web.Url.ToString());
        var names = page.Locator("tbody[data-id]:visible .role-name");

        await page.GetByRole(AriaRole.Link, new() { Name = "Role", Exact = true }).ClickAsync();
        await Expect(names).ToHaveTextAsync(["RoleViewer Reader", "Reader", "Contributor"]);
        await page.GetByLabel("Filter", new() { Exact = true }).FillAsync("read");
        await page.GetByLabel("Role type").SelectOptionAsync("BuiltInRole");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        await Expect(names).ToHaveTextAsync(["Reader"]);
        Assert.Contains("dir=desc", page.Url, StringComparison.Ordinal);
        // Without script the details cannot be toggled, so they are shown.
        await Expect(page.Locator("tbody[data-id]:visible").GetByTestId("assignment-details")).ToBeVisibleAsync();
    }

    // 8: reasons instead of dashes, human timestamps with the exact value on focus, ids with copy buttons, clean markup.
    [Theory(Timeout = 60_000)]
    [InlineData(1440, 900, ColorScheme.Light)]
    [InlineData(390, 844, ColorScheme.Dark)]
    public async Task Page_SaysWhyAValueIsMissingAndShowsTimesAsPeopleReadThem(int width, int height, ColorScheme scheme)
    {
        var screen = new Screen(width, height, scheme);
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        api.PodInKubernetes = false;
        await using var web = RoleViewerWebFactory.Start(api);
        var (page, problems) = await browser.NewPageAsync(screen);
        await page.GotoAsync(web.Url.ToString());

        var pod = page.GetByTestId("pod-facts");
        await Expect(pod).ToContainTextAsync("not in Kubernetes (POD_NAMESPACE unset)");
        Assert.DoesNotContain("—", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Expect(page.GetByTestId("served-by")).ToHaveTextAsync(new Regex(@"^\s*This page was rendered by web replica \S+ with data from API pod api-7d9f-abcde\.\s*$"));

        await page.GetByTestId("identity-overall").ClickAsync();
        var exchange = page.Locator("li[data-check-id='tokenExchange']");
        await exchange.Locator("summary").ClickAsync();
        await Expect(exchange.Locator(".check-detail")).ToContainTextAsync(new Regex(@"expires \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\."));
        Assert.DoesNotMatch(new Regex(@"\.\d{7}"), await page.Locator("main").InnerTextAsync());

        var since = page.Locator("tbody[data-id] time.when").First;
        // Focus and read in one step: the background refresh (every 2 s here) may replace the element in between.
        Assert.Equal("\"2026-01-01 00:00:00 UTC\"", await since.EvaluateAsync<string>("e => { e.focus(); return getComputedStyle(e, '::after').content; }"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Copy client id" }).ClickAsync();
        Assert.Equal(FakeRoleViewerApi.ClientId, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        Assert.Empty(problems);
    }

    [Fact(Timeout = 60_000)]
    public async Task Page_AnswersHeadCachesFingerprintedAssetsAndLoadsNoFrameworkScript()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api);
        using var client = web.CreateClient();
        var cancellationToken = TestContext.Current.CancellationToken;

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"), cancellationToken);
        using var get = await client.GetAsync("/", cancellationToken);
        var html = await get.Content.ReadAsStringAsync(cancellationToken);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/html", head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(cancellationToken));
        Assert.True(get.Headers.CacheControl?.NoCache);
        Assert.DoesNotContain("blazor.web.js", html, StringComparison.Ordinal);
        var assets = Regex.Matches(html, "(?:href|src)=\"(/?[a-z]+\\.[a-z0-9]{6,}\\.(?:css|js|svg))\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(4, assets.Count); // favicon, app.css, noscript.css, live.js: each fingerprinted
        foreach (var asset in assets)
        {
            using var response = await client.GetAsync(asset, cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        }
    }

    private static async Task BreakFederationAsync(FakeRoleViewerApi api, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(api.Url) };
        // The fake's admin API answers its owner only, as the emulator's does.
        http.DefaultRequestHeaders.Add("Emulator-Admin-Key", api.AdminKey);
        using var put = await http.PutAsJsonAsync($"/admin/identities/{FakeRoleViewerApi.ClientId}/federated-credentials/roleviewer-api",
            new { issuer = FakeRoleViewerApi.Issuer, subject = WrongSubject }, cancellationToken);
        put.EnsureSuccessStatusCode();
        using var probe = await http.GetAsync("/api/identity?probe=true", cancellationToken);
        probe.EnsureSuccessStatusCode();
    }
}
