namespace RoleViewer.Web.Tests;

/// <summary>The identity chain picture and the Permissions panel, in a real browser against the fake Api.</summary>
public sealed class PermissionsAndChainTests(BrowserFixture browser)
{
    private static readonly string[] Links = ["pod", "serviceAccountToken", "federatedCredential", "entraToken", "arm"];

    [Theory(Timeout = 60_000)]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Chain_WhenEveryCheckPasses_DrawsFiveGreenLinksWhoseDetailOpensFromTheKeyboard(ColorScheme scheme)
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api);
        var (page, problems) = await browser.NewPageAsync(scheme);

        await page.GotoAsync(web.Url.ToString());

        var chain = page.GetByTestId("identity-chain");
        await Expect(chain.Locator("a.chain-node")).ToHaveCountAsync(5);
        foreach (var link in Links)
        {
            await Expect(chain.Locator($"a[data-link='{link}']")).ToHaveAttributeAsync("data-status", "ok");
        }

        // Drawn on the server: the picture is in the HTML before any script runs.
        using var client = web.CreateClient();
        var html = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        Assert.Contains("data-link=\"entraToken\"", html, StringComparison.Ordinal);

        var entra = chain.Locator("a[data-link='entraToken']");
        await entra.FocusAsync();
        await Expect(entra).ToHaveAccessibleNameAsync("Entra token ✓ passes");
        await Expect(entra).ToHaveAccessibleDescriptionAsync(new Regex("Token exchange with Entra: Exchanged the projected token"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("#chain-step-entraToken$"));
        var detail = page.Locator("#chain-step-entraToken");
        await Expect(detail).ToBeInViewportAsync();
        await Expect(detail).ToContainTextAsync("Exchanged the projected token for an access token");
        // The live refresh replaces the detail's node; the detail the reader followed stays open on the new one.
        await page.EvaluateAsync("document.getElementById('chain-step-entraToken').dataset.beforeRefresh = 'yes'");
        await Expect(page.Locator("#chain-step-entraToken[data-before-refresh]")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await Expect(detail).ToBeVisibleAsync();
        // Light and dark: the node's stroke follows the theme's "ok" colour, not a fixed one.
        await Expect(chain.Locator("a[data-link='arm'] rect")).ToHaveCSSAsync("stroke", scheme == ColorScheme.Dark ? "rgb(111, 220, 149)" : "rgb(10, 107, 46)");
        // The figure, not the picture: the background refresh replaces the picture inside it.
        await page.Locator("#identity-chain").ScreenshotAsync(new() { Path = Artifacts.ScreenshotPath($"identity-chain-ok-{scheme.ToString().ToLowerInvariant()}") });
        Assert.Empty(problems);
    }

    [Fact(Timeout = 60_000)]
    public async Task Chain_WhenFederationIsBroken_TurnsTheFederatedCredentialAndEntraLinksRed()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync(web.Url.ToString());
        var chain = page.GetByTestId("identity-chain");
        await Expect(chain.Locator("a[data-link='entraToken']")).ToHaveAttributeAsync("data-status", "ok");

        await page.GetByRole(AriaRole.Button, new() { Name = "Break federation (wrong subject)" }).ClickAsync();

        await Expect(chain.Locator("a[data-link='entraToken']")).ToHaveAttributeAsync("data-status", "fail", new() { Timeout = 20_000 });
        await Expect(chain.Locator("a[data-link='federatedCredential']")).ToHaveAttributeAsync("data-status", "fail");
        await Expect(chain.Locator("a[data-link='pod']")).ToHaveAttributeAsync("data-status", "ok");
        await Expect(chain.Locator("a[data-link='serviceAccountToken']")).ToHaveAttributeAsync("data-status", "ok");
        await Expect(chain.Locator("a[data-link='arm']")).ToHaveAttributeAsync("data-status", "warn");
        await Expect(chain.Locator("a[data-link='entraToken']")).ToHaveAccessibleNameAsync("Entra token ✗ fails");
        await Expect(chain.Locator("a[data-link='entraToken']")).ToHaveAccessibleDescriptionAsync(new Regex("AADSTS700213"));
        var step = page.Locator("#chain-step-federatedCredential");
        await Expect(step).ToContainTextAsync("AADSTS700213");
        await Expect(step).ToContainTextAsync($"Fix: Set the federated credential's subject to {FakeRoleViewerApi.RightSubject}.");
        await Expect(chain.Locator("a[data-link='entraToken'] rect")).ToHaveCSSAsync("stroke", "rgb(179, 38, 30)");
        await page.Locator("#identity-chain").ScreenshotAsync(new() { Path = Artifacts.ScreenshotPath("identity-chain-federation-broken") });
        Assert.Empty(problems);
    }

    [Fact(Timeout = 60_000)]
    public async Task Panel_WithoutScript_AnswersDeniedThenAllowedNamingTheDecidingAssignment()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api);
        var context = await browser.Browser.NewContextAsync(new() { JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync(web.Url.ToString());
            await Expect(page.Locator("#permission-actions option[value='Microsoft.Authorization/roleAssignments/read']")).ToHaveCountAsync(1);
            await Expect(page.Locator("#permission-actions option[value='Microsoft.Compute/virtualMachines/read']")).ToHaveCountAsync(1);

            await page.GetByLabel("Action", new() { Exact = true }).FillAsync("Microsoft.Compute/virtualMachines/read");
            await page.GetByRole(AriaRole.Button, new() { Name = "Check" }).ClickAsync();

            await Expect(page).ToHaveURLAsync(new Regex("action=Microsoft.Compute%2FvirtualMachines%2Fread"));
            await Expect(page.GetByTestId("permission-verdict")).ToContainTextAsync("Denied");
            await Expect(page.GetByTestId("permission-reason")).ToContainTextAsync("none of the 1 role assignment(s)");
            await Expect(page.GetByLabel("Action", new() { Exact = true })).ToHaveValueAsync("Microsoft.Compute/virtualMachines/read");

            var reader = api.AddAssignment("22222222-3333-4444-8555-666666666666", "Reader", "BuiltInRole", "View all resources.", "acdd72a7-3385-48ef-bd42-f606fba81ae7");
            // The page's output cache keeps a rendered view for its TTL (1 s): a reload within it shows the same answer.
            var verdict = page.GetByTestId("permission-verdict");
            for (var reloads = 0; reloads < 40 && !(await verdict.InnerTextAsync()).Contains("Allowed", StringComparison.Ordinal); reloads++)
            {
                await page.WaitForTimeoutAsync(500);
                await page.ReloadAsync();
            }

            await Expect(verdict).ToContainTextAsync("Allowed");
            var grantedBy = page.GetByTestId("permission-granted-by");
            await Expect(grantedBy).ToContainTextAsync("Reader");
            await Expect(grantedBy).ToContainTextAsync("*/read");
            await Expect(grantedBy).ToContainTextAsync(reader);
            await page.Locator("#permissions").ScreenshotAsync(new() { Path = Artifacts.ScreenshotPath("permissions-allowed") });
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Panel_WhenTryItGrantsReader_FlipsToAllowedAtTheNextRefreshWithoutReload()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api, emulator: api.Url);
        var (page, problems) = await browser.NewPageAsync();
        await page.GotoAsync($"{web.Url}?action=Microsoft.Compute/virtualMachines/read#permissions");
        await Expect(page.GetByTestId("permission-verdict")).ToContainTextAsync("Denied");

        await page.GetByLabel("Built-in role for the app identity").SelectOptionAsync("Reader");
        await page.GetByRole(AriaRole.Button, new() { Name = "Grant role" }).ClickAsync();

        await Expect(page.GetByTestId("permission-verdict")).ToContainTextAsync("Allowed", new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("permission-granted-by")).ToContainTextAsync("Reader");
        Assert.Empty(problems);
    }

    [Fact(Timeout = 60_000)]
    public async Task Panel_WhenTheApiRefusesTheQuestion_ShowsWhyInsteadOfAVerdict()
    {
        await using var api = await FakeRoleViewerApi.StartAsync(TestContext.Current.CancellationToken);
        await using var web = RoleViewerWebFactory.Start(api);
        var (page, _) = await browser.NewPageAsync();

        await page.GotoAsync($"{web.Url}?action=Microsoft.Compute/*");

        await Expect(page.GetByTestId("permission-problem")).ToContainTextAsync("Invalid action");
        await Expect(page.GetByTestId("permission-problem")).ToContainTextAsync("Give one concrete operation");
        await Expect(page.GetByTestId("permission-verdict")).ToHaveCountAsync(0);
    }
}
