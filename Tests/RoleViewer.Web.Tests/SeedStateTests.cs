using System.Net;

namespace RoleViewer.Web.Tests;

/// <summary>The page says when the emulator's state is not its seed, and Try-it resets it after a confirmation (fake emulator).</summary>
public sealed class SeedStateTests(BrowserFixture browser)
{
    [Fact(Timeout = 90_000)]
    public async Task Notice_WhenFederationIsBrokenAndAGroupGranted_NamesBothAndResetAfterConfirmationClearsThem()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync(web.Url.ToString());
        await Expect(page.GetByTestId("identity-overall")).ToContainTextAsync("every check passes");
        await Expect(page.GetByTestId("seed-state-notice")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Break federation (wrong subject)" }).ClickAsync();
        await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Federation broken");
        await page.GetByRole(AriaRole.Button, new() { Name = "Grant via group" }).ClickAsync();
        await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Granted Reader to group");

        var notice = page.GetByTestId("seed-state-notice");
        await Expect(notice).ToContainTextAsync("differs from its seed", new() { Timeout = 20_000 });
        await Expect(notice).ToContainTextAsync("not-the-trusted-account");
        await Expect(notice).ToContainTextAsync("Role assignment added: Reader");
        await Expect(notice).ToContainTextAsync("directory.json");

        // The confirmation is a second, explicit step: nothing is reset by opening it.
        await page.GetByText("Reset to seed…", new() { Exact = true }).First.ClickAsync();
        var confirm = page.GetByRole(AriaRole.Button, new() { Name = "Yes, reset to seed" });
        await Expect(confirm).ToBeVisibleAsync();
        Assert.Equal(0, api.Resets);
        var probesBefore = api.Probes;
        await confirm.ClickAsync();

        await Expect(page.GetByTestId("try-it-status")).ToContainTextAsync("Reset to seed: role assignments, groups and the federated credential are as seeded again");
        await Expect(notice).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("identity-overall")).ToContainTextAsync("every check passes", new() { Timeout = 20_000 });
        Assert.Equal(1, api.Resets);
        Assert.Equal(FakeRoleViewerApi.RightSubject, api.FederatedSubject);
        Assert.Empty(api.GroupsOfIdentity);
        Assert.Equal(probesBefore + 1, api.Probes);
        Assert.Empty(problems);
    }

    [Fact(Timeout = 90_000)]
    public async Task Reset_WithoutJavaScript_TheConfirmationLinkOpensTheFormWhichResetsAndReturnsToThePage()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        api.AddAssignment("99999999-2222-4333-8444-555555555555", "Reader", "BuiltInRole", "View all resources.", "acdd72a7-3385-48ef-bd42-f606fba81ae7");
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        var context = await browser.Browser.NewContextAsync(new() { JavaScriptEnabled = false });
        try
        {
            var page = await context.NewPageAsync();
            // Where the notice's "Reset to seed…" link goes (without script the streamed notice itself is not applied).
            await page.GotoAsync(new Uri(web.Url, "/?reset=confirm#try-it-reset").ToString());

            var confirm = page.GetByRole(AriaRole.Button, new() { Name = "Yes, reset to seed" });
            await Expect(confirm).ToBeVisibleAsync();
            Assert.Equal(0, api.Resets);
            await confirm.ClickAsync();

            await page.WaitForURLAsync(url => url.EndsWith("/#try-it", StringComparison.Ordinal));
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Yes, reset to seed" })).ToBeHiddenAsync();
            Assert.Equal(1, api.Resets);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Notice_LinksToTheOpenedConfirmation()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var api = await FakeRoleViewerApi.StartAsync(cancellationToken);
        api.AddAssignment("99999999-2222-4333-8444-555555555555", "Reader", "BuiltInRole", "View all resources.", "acdd72a7-3385-48ef-bd42-f606fba81ae7");
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        using var client = web.CreateClient();

        var fragment = await client.GetStringAsync("/fragments/dashboard", cancellationToken);
        var confirming = await client.GetStringAsync("/?reset=confirm", cancellationToken);
        var plain = await client.GetStringAsync("/", cancellationToken);

        Assert.Contains("data-testid=\"seed-state-notice\"", fragment, StringComparison.Ordinal);
        Assert.Contains("href=\"/?reset=confirm#try-it-reset\"", fragment, StringComparison.Ordinal);
        Assert.Matches("<details id=\"try-it-reset\"[^>]* open", confirming);
        Assert.DoesNotMatch("<details id=\"try-it-reset\"[^>]* open", plain);
    }

    [Fact(Timeout = 60_000)]
    public async Task Reset_PostedWithoutConfirmation_IsRefusedAndChangesNothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var api = await FakeRoleViewerApi.StartAsync(cancellationToken);
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        using var client = web.CreateClient();

        using var unconfirmed = await client.PostAsync("/try-it/state/reset",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["confirm"] = "no" }), cancellationToken);
        var body = await unconfirmed.Content.ReadAsStringAsync(cancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Contains("Reset not confirmed", body, StringComparison.Ordinal);
        Assert.Equal(0, api.Resets);
    }

    [Fact(Timeout = 60_000)]
    public async Task Notice_WhenTheEmulatorCannotBeReached_SaysSoAndThePageStillRenders()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var api = await FakeRoleViewerApi.StartAsync(cancellationToken);
        // A port nothing listens on: the emulator is down while the Api answers.
        await using var web = RoleViewerWebFactory.Start(api, emulator: "http://127.0.0.1:9");
        using var client = web.CreateClient();

        var html = await client.GetStringAsync("/", cancellationToken);

        Assert.Contains("Could not tell whether the local emulator&#x27;s state differs from its seed", html, StringComparison.Ordinal);
        Assert.Contains("RoleViewer Reader", html, StringComparison.Ordinal);
    }
}
