using System.Net;

namespace RoleViewer.Web.Tests;

/// <summary>Try-it against a fake emulator (the same fake serves the Api contract, so changes show up on the page).</summary>
public sealed class TryItTests(BrowserFixture browser)
{
    [Fact(Timeout = 120_000)]
    public async Task TryIt_WhenGrantingReader_RowAppearsHighlightedWithoutReload()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync(web.Url.ToString());
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" })).ToBeVisibleAsync();
        await page.EvaluateAsync("window.sameDocument = true");

        await page.GetByLabel("Built-in role for the app identity").SelectOptionAsync("Reader");
        await page.GetByRole(AriaRole.Button, new() { Name = "Grant role" }).ClickAsync();

        await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Granted Reader");
        var row = page.Locator("tbody.row-added", new() { HasText = "Built-in" });
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(row.Locator(".role-name")).ToHaveTextAsync("Reader");
        Assert.True(await page.EvaluateAsync<bool>("window.sameDocument === true"));
        Assert.Equal(1, api.ArmWrites);
        Assert.Empty(problems);
    }

    [Fact(Timeout = 120_000)]
    public async Task TryIt_WhenGrantingThroughTheGroup_RowAppearsInheritedAndRevokeRemovesIt()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync(web.Url.ToString());
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "RoleViewer Reader" })).ToBeVisibleAsync();

        await page.GetByLabel("Built-in role for the app identity").SelectOptionAsync("Reader");
        await page.GetByRole(AriaRole.Button, new() { Name = "Grant via group" }).ClickAsync();

        await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Granted Reader to group sg-roleviewer-try-it");
        var row = page.Locator("tbody.row-added", new() { HasText = "Built-in" });
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(row.GetByTestId("via")).ToHaveTextAsync("Group sg-roleviewer-try-it");
        Assert.True(api.GroupsOfIdentity.ContainsKey("b7e1c3a5-9d2f-4e8b-a6c4-0f2e4d6b8a1c"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke role" }).ClickAsync();

        await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Revoked Reader (1 assignment)");
        await Expect(page.Locator("tbody.row-removed")).ToContainTextAsync("removed", new() { Timeout = 20_000 });
        Assert.Equal(2, api.ArmWrites);
        Assert.Empty(problems);
    }

    [Fact(Timeout = 120_000)]
    public async Task TryIt_WhenRevokingReader_RowIsMarkedRemoved()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        api.AddAssignment("99999999-2222-4333-8444-555555555555", "Reader", "BuiltInRole", "View all resources.", "acdd72a7-3385-48ef-bd42-f606fba81ae7");
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        var (page, _) = await browser.NewPageAsync();
        await page.GotoAsync(web.Url.ToString());
        await Expect(page.Locator("tbody[data-id]")).ToHaveCountAsync(2);

        await page.GetByLabel("Built-in role for the app identity").SelectOptionAsync("Reader");
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke role" }).ClickAsync();

        await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Revoked Reader (1 assignment)");
        await Expect(page.Locator("tbody.row-removed")).ToContainTextAsync("removed", new() { Timeout = 20_000 });
        await Expect(page.Locator("tbody[data-id]:not(.row-removed)", new() { HasText = "RoleViewer Reader" })).ToBeVisibleAsync();
    }

    [Fact(Timeout = 120_000)]
    public async Task TryIt_WhenBreakingAndRepairingFederation_DoctorExplainsAadsts700213ThenTurnsGreen()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        var (page, _) = await browser.NewPageAsync();
        await page.GotoAsync(web.Url.ToString());
        await Expect(page.GetByTestId("identity-overall")).ToContainTextAsync("every check passes");

        await page.GetByRole(AriaRole.Button, new() { Name = "Break federation (wrong subject)" }).ClickAsync();

        await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Federation broken");
        Assert.NotEqual(FakeRoleViewerApi.RightSubject, api.FederatedSubject);
        // The fake doctor, like the Api's, sees the change only because the web asked it to probe (the web's client
        // may retry a call once, so a count, not an exact number).
        var probesAfterBreak = api.Probes;
        Assert.True(probesAfterBreak >= 1, "the web did not ask the Api's doctor to probe after breaking the federation");
        await Expect(page.GetByTestId("identity-overall")).ToContainTextAsync("Identity is broken", new() { Timeout = 20_000 });
        var failing = page.Locator("li.check-fail[data-check-id='tokenExchange']");
        await Expect(failing).ToContainTextAsync("AADSTS700213");
        await Expect(failing).ToContainTextAsync("Fix:");
        await Expect(failing.Locator(".check-what")).ToContainTextAsync("no federated identity credential matching the token's subject");
        await Expect(failing.GetByTestId("last-exchange")).ToContainTextAsync("Last exchange failed");
        await Expect(page.Locator("[data-check-id='emulator.federatedCredential']")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Repair federation" }).ClickAsync();

        await Expect(page.GetByTestId("identity-overall")).ToContainTextAsync("every check passes", new() { Timeout = 20_000 });
        Assert.Equal(FakeRoleViewerApi.RightSubject, api.FederatedSubject);
        Assert.True(api.Probes > probesAfterBreak, "the web did not ask the Api's doctor to probe after repairing the federation");
    }

    [Fact(Timeout = 120_000)]
    public async Task TryIt_WhenEmulatorNotConfigured_IsNeitherRenderedNorMapped()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api);
        using var client = web.CreateClient();
        var cancellationToken = TestContext.Current.CancellationToken;

        var html = await client.GetStringAsync("/", cancellationToken);
        using var post = await client.PostAsync("/try-it/role-assignments",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "grant", ["role"] = "Reader" }), cancellationToken);

        Assert.DoesNotContain("id=\"try-it\"", html, StringComparison.Ordinal);
        // 404 when hosted normally; 405 under the test host, whose static-web-assets fallback route answers GET only.
        Assert.Contains(post.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        Assert.Equal(0, api.ArmWrites);
    }

    // A page on another site (or another port of localhost: same-site) must not change the developer's emulator
    // through their browser; the browser's Fetch Metadata, else its Origin, says where a post came from.
    [Theory(Timeout = 120_000)]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Origin", "http://attacker.example")]
    [InlineData("Origin", "http://localhost:3000")]
    [InlineData("Origin", "null")]
    public async Task TryIt_WhenPostedFromAnotherSite_IsRefusedSayingWhy(string header, string value)
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        using var client = web.CreateClient();
        using var post = await PostGrantReaderAsync(client, header, value);
        var problem = await post.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Contains("Cross-site request refused", problem, StringComparison.Ordinal);
        Assert.Contains(value, problem, StringComparison.Ordinal);
        Assert.Equal(0, api.ArmWrites);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData("Origin", "self")]
    public async Task TryIt_WhenPostedFromItsOwnPage_IsAcceptedWithoutAToken(string header, string value)
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        using var client = web.CreateClient();
        var page = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        using var post = await PostGrantReaderAsync(client, header, value == "self" ? client.BaseAddress!.GetLeftPart(UriPartial.Authority) : value);

        Assert.DoesNotContain("__RequestVerificationToken", page, StringComparison.Ordinal);
        Assert.True(post.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"got {(int)post.StatusCode}");
        Assert.Equal(1, api.ArmWrites);
    }

    /// <summary>Try-it's "Grant Reader" form post, with the one header a browser would set to say where it came from.</summary>
    private static async Task<HttpResponseMessage> PostGrantReaderAsync(HttpClient client, string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/try-it/role-assignments")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "grant", ["role"] = "Reader" }),
        };
        request.Headers.TryAddWithoutValidation(header, value);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
