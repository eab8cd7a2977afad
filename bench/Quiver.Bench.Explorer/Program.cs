// The explorer's figures: time from opening /explorer to a drawn map (projection computed, then cached) for
// collections of N points, and the page's draw time per frame while panning, against a peer in the same run: the
// bare projection route (what the page adds to it) and the same page drawing with one fillRect per point (what the
// single ImageData write saves). Usage: Quiver.Bench.Explorer [--points 10000,100000] [--umap-up-to 10000] [--out DIR];
// Quiver.Bench.Explorer --screenshots URL --query TEXT --out docs takes the README's pictures from a running server.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Quiver.Bench.Explorer;

var points = ArgValue(args, "--points", "10000,100000").Split(',').Select(int.Parse).ToArray();
var umapUpTo = int.Parse(ArgValue(args, "--umap-up-to", "10000"), CultureInfo.InvariantCulture);
var output = Directory.CreateDirectory(ArgValue(args, "--out", Path.Combine(Path.GetTempPath(), "quiver-explorer-bench"))).FullName;
var chromium = Environment.GetEnvironmentVariable("QUIVER_CHROMIUM") ?? "/usr/bin/chromium";
if (!File.Exists(chromium))
{
    Console.Error.WriteLine($"error: no Chromium at {chromium}: apt-get update && apt-get install -y chromium (or set QUIVER_CHROMIUM)");
    return 2;
}

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });

// --screenshots URL --query TEXT: the README's two pictures from a running server instead of the figures.
if (Array.IndexOf(args, "--screenshots") >= 0)
{
    await Screenshots.Take(browser, ArgValue(args, "--screenshots", string.Empty), ArgValue(args, "--query", "whale"), output);
    return 0;
}

var rows = new List<Dictionary<string, object>>();
foreach (var n in points)
{
    await using var server = await BenchServer.Start(n);
    Console.Error.WriteLine($"{n:N0} points stored in {server.StoreSeconds:F1} s");
    var methods = n <= umapUpTo ? new[] { "pca", "umap" } : ["pca"];
    foreach (var method in methods)
    {
        var uncached = await Open(browser, server.Url, method, draw: null);
        var cached = await Open(browser, server.Url, method, draw: null);
        var route = Stopwatch.StartNew();
        await server.Project(method, n);
        var routeMs = route.Elapsed.TotalMilliseconds;
        var row = new Dictionary<string, object>
        {
            ["points"] = n,
            ["method"] = method,
            ["uncached_ms"] = Math.Round(uncached.DrawnMs),
            ["cached_ms"] = Math.Round(cached.DrawnMs),
            ["cached_route_ms"] = Math.Round(routeMs),
            ["cached_page_over_route"] = Math.Round(cached.DrawnMs / routeMs, 2),
        };
        Console.Error.WriteLine($"{n:N0} {method}: uncached {uncached.DrawnMs:F0} ms, cached {cached.DrawnMs:F0} ms (the route alone, cached: {routeMs:F0} ms)");
        if (method == "pca")
        {
            var pan = await Pan(cached.Page, output, $"pan-{n}");
            var naivePage = await Open(browser, server.Url, method, draw: "rects");
            var naive = await Pan(naivePage.Page, output, $"pan-{n}-rects");
            row["pan_frames"] = pan.Frames;
            row["pan_draw_ms_median"] = pan.Median;
            row["pan_draw_ms_p95"] = pan.P95;
            row["pan_frame_interval_ms_median"] = pan.IntervalMedian;
            row["peer_fillrect_draw_ms_median"] = naive.Median;
            row["peer_over_explorer"] = Math.Round(naive.Median / pan.Median, 1);
            Console.Error.WriteLine($"{n:N0} pan: draw {pan.Median:F2} ms median, {pan.P95:F2} ms p95 over {pan.Frames} frames (frame interval {pan.IntervalMedian:F1} ms); one fillRect per point: {naive.Median:F2} ms");
            await naivePage.Page.CloseAsync();
        }

        await uncached.Page.CloseAsync();
        await cached.Page.CloseAsync();
        rows.Add(row);
    }
}

var report = JsonSerializer.Serialize(new { chromium, processors = Environment.ProcessorCount, rows }, new JsonSerializerOptions { WriteIndented = true });
File.WriteAllText(Path.Combine(output, "explorer.json"), report);
Console.WriteLine(report);
return 0;

// A new page (its own context: nothing cached in the browser) at the explorer, until the map is drawn; the time is the
// page's own clock from navigation start.
static async Task<(IPage Page, double DrawnMs)> Open(IBrowser browser, string url, string method, string? draw)
{
    var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 860 } });
    page.SetDefaultTimeout(900_000);
    await page.GotoAsync($"{url}/explorer?collection=bench&method={method}{(draw is null ? string.Empty : "&draw=" + draw)}");
    await page.Locator("#map[data-state=drawn]").WaitForAsync();
    return (page, await page.EvaluateAsync<double>("() => window.explorer.stats.mapDrawnAt"));
}

// Drags the map across the canvas in 120 steps and reads back the draw time of every frame drawn meanwhile.
static async Task<(int Frames, double Median, double P95, double IntervalMedian)> Pan(IPage page, string output, string name)
{
    await page.EvaluateAsync("() => { window.explorer.stats.frames.length = 0; window.explorer.stats.frameEnds.length = 0; }");
    var box = (await page.Locator("#map").BoundingBoxAsync())!;
    var (x, y) = (box.X + (box.Width / 2), box.Y + (box.Height / 2));
    await page.Mouse.MoveAsync(x, y);
    await page.Mouse.DownAsync();
    await page.Mouse.MoveAsync(x + 240, y + 120, new MouseMoveOptions { Steps = 120 });
    await page.Mouse.UpAsync();
    await page.WaitForTimeoutAsync(200);
    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(output, name + ".png") });
    var frames = await page.EvaluateAsync<double[]>("() => window.explorer.stats.frames");
    var ends = await page.EvaluateAsync<double[]>("() => window.explorer.stats.frameEnds");
    var sorted = frames.Order().ToArray();
    var intervals = ends.Zip(ends.Skip(1), (a, b) => b - a).Order().ToArray();
    return (frames.Length, Math.Round(sorted[sorted.Length / 2], 2), Math.Round(sorted[(int)(sorted.Length * 0.95)], 2), intervals.Length == 0 ? 0 : Math.Round(intervals[intervals.Length / 2], 1));
}

static string ArgValue(string[] args, string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}
