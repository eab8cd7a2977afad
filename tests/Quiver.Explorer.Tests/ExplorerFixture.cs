using Microsoft.Playwright;

namespace Quiver.Explorer.Tests;

/// <summary>
/// The server and one headless Chromium, shared by a test class. Chromium is the system's (Debian's <c>chromium</c>
/// package): Playwright's own browser download is not possible here, and its bundled driver downloads nothing. A
/// missing browser is installed with apt-get when the tests run as root (<see cref="ChromiumInstaller"/>); otherwise,
/// or when that fails, every test fails with the command that installs it; it never skips them.
/// </summary>
public sealed class ExplorerFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public ExplorerServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the tests' screenshots go: <c>screenshots/</c> in the test output folder.</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("QUIVER_CHROMIUM") ?? ChromiumPath;
        var installProblem = await ChromiumInstaller.EnsureAsync(chromium);
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"The explorer's browser tests drive Chromium at {chromium}, and there is none. Install it (Debian: apt-get update && apt-get install -y chromium) " +
                "or point QUIVER_CHROMIUM at a Chromium binary." + (installProblem is null ? "" : $" Installing it here failed:\n{installProblem}"));
        }

        Server = await ExplorerServer.Start();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,

            // Root (as in CI containers) cannot use Chromium's sandbox.
            Args = ["--no-sandbox"],
        });
    }

    /// <summary>A fresh page at the explorer with <paramref name="key"/> entered in its key dialog, once the map is drawn.</summary>
    public async Task<IPage> Open(string key, string collection = "docs")
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 860 } });
        page.SetDefaultTimeout(60_000);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        // What the page said, for the failure message: a script error otherwise shows only as a timeout.
        var said = new List<string>();
        page.Console += (_, message) => said.Add($"console.{message.Type}: {message.Text}");
        page.PageError += (_, error) => said.Add($"page error: {error}");
        page.RequestFailed += (_, request) => said.Add($"request failed: {request.Url} {request.Failure}");
        try
        {
            var response = await page.GotoAsync($"{Server.Url}/explorer?collection={collection}");
            Assert.True(response?.Ok, $"GET /explorer answered {response?.Status}");
            await page.Locator("#api-key").FillAsync(key);
            await page.Locator("#key-form button").ClickAsync();
            await page.Locator("#map[data-state=drawn]").WaitForAsync();
        }
        catch (TimeoutException e)
        {
            var status = await page.Locator("#status").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 1000 });
            throw new TimeoutException($"{e.Message}\nthe page's status line: {status}\n{string.Join('\n', said)}", e);
        }

        return page;
    }

    public static Task Screenshot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png") });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
