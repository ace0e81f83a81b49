namespace RoleViewer.Web.Tests;

public sealed class DashboardPageTests(BrowserFixture browser)
{
    [Fact(Timeout = 60_000)]
    public async Task Page_WhenApiHealthy_ShowsIdentityAssignmentsAndPod()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api);
        var (page, problems) = await browser.NewPageAsync();

        await page.GotoAsync(web.Url.ToString());

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Identity" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("identity-overall")).ToContainTextAsync("every check passes");
        await Expect(page.GetByTestId("client-id")).ToHaveTextAsync(FakeRoleViewerApi.ClientId);
        await Expect(page.Locator("li.check-ok")).ToHaveCountAsync(4);
        await Expect(page.Locator("time[data-countdown]")).ToContainTextAsync("in 5");
        var row = page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" });
        await Expect(row).ToContainTextAsync("Custom");
        await Expect(row.Locator(".scope")).ToHaveTextAsync("Subscription");
        await Expect(row.GetByTestId("via")).ToHaveTextAsync("Direct");
        var details = page.GetByTestId("assignment-details");
        await Expect(details).ToContainTextAsync($"/subscriptions/{FakeRoleViewerApi.SubscriptionId}");
        await Expect(details).ToContainTextAsync("Reads role assignments and role definitions.");
        await Expect(row.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href",
            $"https://portal.azure.com/#@{FakeRoleViewerApi.TenantId}/resource/subscriptions/{FakeRoleViewerApi.SubscriptionId}/users");
        await Expect(page.GetByTestId("api-pod-name")).ToHaveTextAsync("api-7d9f-abcde");
        await Expect(page.GetByTestId("pod-facts")).ToContainTextAsync("aks-node-1");
        // The container's figures, not the node's: the sample this replaces showed the host's memory.
        await Expect(page.GetByTestId("pod-memory")).ToHaveTextAsync("70 MiB working set of 256 MiB limit (27 %), 12 MiB GC heap");
        await Expect(page.GetByTestId("pod-cpu")).ToHaveTextAsync("2 cores, limited to 0.5 CPU");
        await Expect(page.GetByTestId("served-by")).ToContainTextAsync(Environment.MachineName);
        await Expect(page.Locator("#try-it")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("api-banner")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Artifacts.ScreenshotPath("web-fake-api-healthy"), FullPage = true });
        Assert.Empty(problems);
    }

    [Fact(Timeout = 60_000)]
    public async Task Page_WhenARoleComesThroughAGroup_SaysItIsAssignedViaTheGroup()
    {
        const string Group = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        api.AddAssignment("22222222-3333-4444-8555-666666666666", "Reader", "BuiltInRole", "View all resources.",
            "acdd72a7-3385-48ef-bd42-f606fba81ae7", groupId: Group);
        await using var web = RoleViewerWebFactory.Start(api);
        var (page, _) = await browser.NewPageAsync();

        await page.GotoAsync(web.Url.ToString());

        var viaGroup = page.Locator("tbody[data-id]").Filter(new() { HasNotText = "RoleViewer" });
        await Expect(viaGroup.GetByTestId("via")).ToHaveTextAsync($"Group {Group}");
        await Expect(viaGroup.GetByTestId("assignment-details")).ToContainTextAsync(new Regex($"Group {Group}, which this identity is a member of"));
        await Expect(page.Locator("tbody[data-id]", new() { HasText = "RoleViewer Reader" }).GetByTestId("via")).ToHaveTextAsync("Direct");
    }

    [Fact(Timeout = 60_000)]
    public async Task Page_WhenListIsStale_ShowsStaleSinceIndicator()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        api.Stale = true;
        await using var web = RoleViewerWebFactory.Start(api);
        var (page, _) = await browser.NewPageAsync();

        await page.GotoAsync(web.Url.ToString());

        var stale = page.GetByTestId("stale-indicator");
        await Expect(stale).ToContainTextAsync("Stale since");
        await Expect(stale).ToContainTextAsync("7 min");
        await Expect(stale).ToContainTextAsync("ServiceUnavailable");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" })).ToBeVisibleAsync();
    }

    [Theory(Timeout = 60_000)]
    [InlineData(null, "RefreshPending", "has not answered yet")]
    [InlineData(null, "Timeout", "did not answer in time")]
    [InlineData(null, "ConnectionFailed", "could not be reached")]
    [InlineData(429, "TooManyRequests", "throttling")]
    [InlineData(500, "InternalServerError", "internal error (HTTP 500)")]
    [InlineData(null, "AADSTS700213", "Entra ID refused the token exchange with AADSTS700213")]
    public async Task Page_WhenStaleForAnyUpstreamReason_ShowsTheLastListAndWhyInWords(int? status, string code, string words)
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        api.StaleBecause = new(status, code, "Connection refused (10.1.2.3:443) at System.Net.Sockets.Socket.Connect");
        await using var web = RoleViewerWebFactory.Start(api);
        var (page, _) = await browser.NewPageAsync();

        await page.GotoAsync(web.Url.ToString());

        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("stale-indicator")).ToContainTextAsync("Stale since");
        await Expect(page.GetByTestId("stale-reason")).ToContainTextAsync(words);
        // The upstream's own message may quote exceptions and internal addresses: never on the page.
        var html = await page.ContentAsync();
        Assert.DoesNotContain("10.1.2.3", html, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Net.Sockets", html, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Page_WhenNoAssignments_ShowsEmptyStateWithGrantCommand()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken, seedReader: false);
        await using var web = RoleViewerWebFactory.Start(api);
        var (page, _) = await browser.NewPageAsync();

        await page.GotoAsync(web.Url.ToString());

        await Expect(page.GetByTestId("empty-state")).ToContainTextAsync("no role assignments");
        await Expect(page.Locator("#grant-command")).ToHaveTextAsync(
            $"az role assignment create --assignee-object-id {FakeRoleViewerApi.PrincipalId} --assignee-principal-type ServicePrincipal " +
            $"--role \"RoleViewer Reader (3f2b6c1d-8e4a-4b7f-9c0d-1a2b3c4d5e6f)\" --scope /subscriptions/{FakeRoleViewerApi.SubscriptionId}");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy command" })).ToBeVisibleAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task Page_WhenRoleAssignmentsFailUpstream_ShowsProblemAndKnownFix()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        api.RoleAssignmentsProblem = (403, "AuthorizationFailed");
        await using var web = RoleViewerWebFactory.Start(api);
        var (page, _) = await browser.NewPageAsync();

        await page.GotoAsync(web.Url.ToString());

        var failure = page.Locator("#assignments-region").GetByTestId("section-failure");
        await Expect(failure).ToContainTextAsync("Azure refused to list role assignments");
        await Expect(failure).ToContainTextAsync("AuthorizationFailed");
        await Expect(failure).ToContainTextAsync("Grant it the missing action Microsoft.Authorization/roleAssignments/read");
        await Expect(page.GetByTestId("api-banner")).ToHaveCountAsync(0);
    }

    [Fact(Timeout = 90_000)]
    public async Task Page_WhenApiDown_ShowsBannerAndRecoversWithoutReload()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        api.Down = true;
        await using var web = RoleViewerWebFactory.Start(api);
        var (page, problems) = await browser.NewPageAsync();

        var response = await page.GotoAsync(web.Url.ToString());

        Assert.Equal(200, response!.Status);
        await Expect(page.GetByTestId("api-banner")).ToContainTextAsync("unreachable");
        await Expect(page.GetByTestId("api-banner")).ToContainTextAsync("retries every 2 s");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Role assignments" })).ToBeVisibleAsync();
        await page.EvaluateAsync("window.sameDocument = true");

        api.Down = false;

        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" })).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("api-banner")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"));
        Assert.DoesNotContain(problems, p => p.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task Page_WhenAssignmentsChange_HighlightsAddedAndRemovedRowsWithoutReload()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api);
        var (page, _) = await browser.NewPageAsync();
        await page.GotoAsync(web.Url.ToString());
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" })).ToBeVisibleAsync();
        await page.EvaluateAsync("window.sameDocument = true");

        api.RemoveAllAssignments();
        api.AddAssignment("99999999-2222-4333-8444-555555555555", "Reader", "BuiltInRole", "View all resources.", "acdd72a7-3385-48ef-bd42-f606fba81ae7");

        var added = page.Locator("tbody.row-added", new() { HasText = "Reader" });
        await Expect(added).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(added).ToContainTextAsync("new");
        var removed = page.Locator("tbody.row-removed", new() { HasText = "RoleViewer Reader" });
        await Expect(removed).ToContainTextAsync("removed");
        // Two more refreshes: the removed row stays once, in its sorted place (role ascending: "Reader" < "RoleViewer Reader").
        await page.WaitForTimeoutAsync(4500);
        await Expect(removed).ToHaveCountAsync(1);
        await Expect(page.Locator("tbody[data-id] .role-name")).ToHaveTextAsync(["Reader", "RoleViewer Reader"]);
        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Page_WhenSortedAndFiltered_ShowsMatchingRowsInOrder()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        api.AddAssignment("99999999-2222-4333-8444-555555555555", "Reader", "BuiltInRole", "View all resources.", "acdd72a7-3385-48ef-bd42-f606fba81ae7");
        api.AddAssignment("88888888-2222-4333-8444-555555555555", "Contributor", "BuiltInRole", "Manage all resources.", "b24988ac-6180-42a0-ab88-20f7382dd24c");
        await using var web = RoleViewerWebFactory.Start(api);
        var (page, _) = await browser.NewPageAsync();
        await page.GotoAsync(web.Url.ToString());

        await page.GetByRole(AriaRole.Link, new() { Name = "Role", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Role", Exact = true })).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(page.Locator("tbody[data-id]:visible .role-name")).ToHaveTextAsync(["RoleViewer Reader", "Reader", "Contributor"]);

        await page.GetByLabel("Role type").SelectOptionAsync("BuiltInRole");
        await page.GetByLabel("Filter", new() { Exact = true }).FillAsync("read");

        await Expect(page.Locator("tbody[data-id]:visible .role-name")).ToHaveTextAsync(["Reader"]);
        Assert.Contains("dir=desc", page.Url, StringComparison.Ordinal);
    }
}
