[assembly: AssemblyFixture(typeof(RoleViewer.Web.Tests.Infrastructure.BrowserFixture))]

namespace RoleViewer.Web.Tests.Infrastructure;

/// <summary>One Debian Chromium for the whole test run (Playwright's own browsers cannot be downloaded here).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh page whose CSP violations and page errors are collected for assertions.</summary>
    public Task<(IPage Page, List<string> Problems)> NewPageAsync(ColorScheme scheme = ColorScheme.Light) =>
        NewPageAsync(new Screen(1280, 900, scheme));

    /// <param name="javaScript">False: the page as a browser without script sees it.</param>
    public async Task<(IPage Page, List<string> Problems)> NewPageAsync(Screen screen, bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new()
        {
            ColorScheme = screen.Scheme,
            ViewportSize = new() { Width = screen.Width, Height = screen.Height },
            HasTouch = screen.IsPhone,
            IsMobile = screen.IsPhone,
            JavaScriptEnabled = javaScript,
        });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var page = await context.NewPageAsync();
        // Generous: several browsers share two cores during a CI run.
        page.SetDefaultTimeout(30_000);
        Assertions.SetDefaultExpectTimeout(15_000);
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        return (page, problems);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>A screen the page is tried on: the review's desktop (1440×900) and phone (390×844), light or dark.</summary>
public sealed record Screen(int Width, int Height, ColorScheme Scheme)
{
    public static readonly Screen Desktop = new(1440, 900, ColorScheme.Light);
    public static readonly Screen Phone = new(390, 844, ColorScheme.Light);

    public bool IsPhone => Width < 600;

    public string Name => $"{(IsPhone ? "phone" : "desktop")}-{Width}x{Height}-{Scheme.ToString().ToLowerInvariant()}";

    public override string ToString() => Name;

    /// <summary>Desktop and phone, each light and dark.</summary>
    public static TheoryData<Screen> All => new(Desktop, Desktop with { Scheme = ColorScheme.Dark }, Phone, Phone with { Scheme = ColorScheme.Dark });

    public static TheoryData<Screen> DesktopAndPhone => new(Desktop, Phone);
}
