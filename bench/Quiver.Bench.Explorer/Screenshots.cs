using Microsoft.Playwright;

namespace Quiver.Bench.Explorer;

/// <summary>
/// The README's pictures of the explorer, taken from a running <c>quiver serve</c>: the map coloured by a payload
/// field, then a search with its hits highlighted and the top hit inspected with its neighbours.
/// </summary>
internal static class Screenshots
{
    public static async Task Take(IBrowser browser, string url, string query, string output)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 860 } });
        page.SetDefaultTimeout(900_000);
        await page.GotoAsync(url);
        await page.Locator("#map[data-state=drawn]").WaitForAsync();
        await page.WaitForTimeoutAsync(300);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(output, "explorer-map.png") });

        await page.Locator("#query").FillAsync(query);
        await page.Locator("#mode").SelectOptionAsync("hybrid");
        await page.Locator("#search button").ClickAsync();
        var first = page.Locator("#hits li").First;
        await first.WaitForAsync();
        await first.ClickAsync();
        await page.Locator("#neighbours li").First.WaitForAsync();
        await page.WaitForTimeoutAsync(300);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(output, "explorer-search.png") });
        await page.CloseAsync();
    }
}
