using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Quiver.Explorer.Tests;

/// <summary>The explorer page in a real Chromium against a real server: map, search, inspect, colouring and keys.</summary>
public sealed class ExplorerPageTests(ExplorerFixture fixture) : IClassFixture<ExplorerFixture>
{
    [Fact]
    public async Task The_page_asks_for_a_key_then_draws_every_point_of_the_collection()
    {
        var page = await fixture.Open(ExplorerServer.AdminKey);

        Assert.Equal(ExplorerServer.Points.ToString(), await page.Locator("#map").GetAttributeAsync("data-points"));
        Assert.Equal(ExplorerServer.Points.ToString(), await page.Locator("#map").GetAttributeAsync("data-total"));

        // The canvas really holds the points: at least one 2×2 block of non-background pixels per point (points may overlap a little).
        var painted = await page.EvaluateAsync<int>(
            """
            () => {
              const c = document.querySelector('#map');
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let n = 0;
              for (let i = 0; i < d.length; i += 4) if (!(d[i] === 251 && d[i + 1] === 251 && d[i + 2] === 253)) n++;
              return n;
            }
            """);
        Assert.True(painted >= ExplorerServer.Points * 2, $"{painted} painted pixels for {ExplorerServer.Points} points");

        // The collections list shows the collection's point count and space; the models list the model and its collections.
        var row = page.Locator("#collections tr[data-name=docs]");
        Assert.Contains("300", await row.InnerTextAsync());
        Assert.Contains(ExplorerCorpus.Model, await row.InnerTextAsync());
        Assert.Contains("docs", await page.Locator($"#models tr[data-name={ExplorerCorpus.Model}]").InnerTextAsync());
        await ExplorerFixture.Screenshot(page, "map");
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_keyword_search_lists_and_highlights_the_one_document_holding_the_word()
    {
        var page = await fixture.Open(ExplorerServer.ReadOnlyKey);
        await page.Locator("#query").FillAsync(ExplorerCorpus.RareWord);
        await page.Locator("#mode").SelectOptionAsync("keyword");
        await page.Locator("#search button").ClickAsync();

        var first = page.Locator("#hits li").First;
        await first.WaitForAsync();
        Assert.Equal(ExplorerCorpus.HarpoonId.ToString(), await first.GetAttributeAsync("data-id"));
        Assert.Equal(1, await page.Locator("#hits li").CountAsync());
        Assert.Equal(ExplorerCorpus.HarpoonId.ToString(), await page.Locator("#map").GetAttributeAsync("data-highlighted"));

        // Hybrid search with a filter keeps to the filtered topic.
        await page.Locator("#mode").SelectOptionAsync("hybrid");
        await page.Locator("#query").FillAsync("frog reeds");
        await page.Locator("#filter").FillAsync("topic=pond");
        await page.Locator("#search button").ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('#map').dataset.highlighted !== '42'");
        var ids = (await page.Locator("#hits li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.id)")).Select(int.Parse).ToList();
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Equal(1, id % 3));
        await ExplorerFixture.Screenshot(page, "search");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Clicking_a_point_shows_its_text_and_lists_the_servers_nearest_neighbours()
    {
        var page = await fixture.Open(ExplorerServer.ReadOnlyKey);
        var (id, x, y) = await IsolatedPoint(page);
        await page.Mouse.ClickAsync(x, y);

        await page.Locator("#neighbours li").First.WaitForAsync();
        Assert.Equal(id.ToString(), await page.Locator("#inspect").GetAttributeAsync("data-id"));
        Assert.Equal(ExplorerCorpus.Point(id).Text, await page.Locator("#inspect-text").InnerTextAsync());
        var shown = await page.Locator("#neighbours li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.id)");
        var expected = (await fixture.Server.Send(HttpMethod.Post, "/collections/docs/points/query", new { query = id, limit = 10 }))["points"]!
            .AsArray().Select(p => p!["id"]!.ToJsonString()).ToArray();
        Assert.Equal(expected, shown);
        await ExplorerFixture.Screenshot(page, "inspect");
        await page.CloseAsync();
    }

    [Fact]
    public async Task Colouring_by_a_payload_field_then_by_cluster_changes_the_legend()
    {
        var page = await fixture.Open(ExplorerServer.ReadOnlyKey);
        Assert.True(await page.Locator("#legend").IsHiddenAsync());

        await page.Locator("#colour-by").SelectOptionAsync("field:topic");
        var legend = await page.Locator("#legend").InnerTextAsync();
        foreach (var topic in ExplorerCorpus.Topics)
        {
            Assert.Contains($"{topic} (100)", legend);
        }

        await page.Locator("#k").FillAsync("3");
        await page.Locator("#run-clusters").ClickAsync();
        await page.Locator("#legend[data-by=cluster] .entry").First.WaitForAsync();
        Assert.Equal(3, await page.Locator("#legend .entry").CountAsync());
        Assert.Contains("cluster (k-means, k = 3)", await page.Locator("#legend").InnerTextAsync());

        // Three well-separated topics: each cluster's keywords are one topic's words.
        var clusters = await page.Locator("#clusters li").AllInnerTextsAsync();
        Assert.Equal(3, clusters.Count);
        foreach (var words in ExplorerCorpus.TopicWords)
        {
            Assert.Single(clusters, c => words.Any(w => c.Contains(w, StringComparison.Ordinal)));
        }

        await ExplorerFixture.Screenshot(page, "clusters");

        await page.Locator("#run-outliers").ClickAsync();
        await page.Locator("#outliers li").First.WaitForAsync();
        Assert.Contains("outlier score (lof)", await page.Locator("#legend").InnerTextAsync());
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_read_only_key_cannot_delete_a_point_and_an_admin_key_can()
    {
        var before = await fixture.Server.Count("scratch");
        var page = await fixture.Open(ExplorerServer.ReadOnlyKey, "scratch");
        var (id, x, y) = await IsolatedPoint(page);
        await page.Mouse.ClickAsync(x, y);
        await page.Locator("#neighbours li").First.WaitForAsync();
        await page.Locator("#delete-point").ClickAsync();
        await page.Locator("#inspect-error").WaitForAsync();
        Assert.Contains("read-only", await page.Locator("#inspect-error").InnerTextAsync());
        Assert.Equal(before, await fixture.Server.Count("scratch"));
        await ExplorerFixture.Screenshot(page, "read-only-delete");
        await page.CloseAsync();

        var admin = await fixture.Open(ExplorerServer.AdminKey, "scratch");
        (id, x, y) = await IsolatedPoint(admin);
        await admin.Mouse.ClickAsync(x, y);
        await admin.Locator("#neighbours li").First.WaitForAsync();
        await admin.Locator("#delete-point").ClickAsync();
        await admin.Locator("#inspect").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden });
        Assert.Equal(before - 1, await fixture.Server.Count("scratch"));
        Assert.Null((await fixture.Server.Send(HttpMethod.Post, "/collections/scratch/points", new { ids = new[] { id } })).AsArray().FirstOrDefault());
        await admin.CloseAsync();
    }

    [Fact]
    public async Task Box_selection_lists_the_points_inside_the_box()
    {
        var page = await fixture.Open(ExplorerServer.ReadOnlyKey);
        var box = (await page.Locator("#map").BoundingBoxAsync())!;

        // The whole canvas: every point is inside.
        await page.Keyboard.DownAsync("Shift");
        await page.Mouse.MoveAsync(box.X + 2, box.Y + 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width - 2, box.Y + box.Height - 2, new MouseMoveOptions { Steps = 5 });
        await page.Mouse.UpAsync();
        await page.Keyboard.UpAsync("Shift");
        Assert.Equal($"({ExplorerServer.Points} points)", await page.Locator("#selection-count").TextContentAsync());
        Assert.Equal(200, await page.Locator("#selection li[data-id]").CountAsync());
        await page.CloseAsync();
    }

    /// <summary>
    /// A point drawn at least 6 pixels from every other (so a click on it can mean no other), and where it is in page
    /// coordinates, by the page's own transform read back.
    /// </summary>
    private static async Task<(int Id, float X, float Y)> IsolatedPoint(IPage page)
    {
        var found = await page.EvaluateAsync<float[]>(
            """
            () => {
              const s = window.explorer.state;
              const c = document.querySelector('#map');
              const r = c.getBoundingClientRect();
              const ratio = r.width / c.width;
              const at = (i) => [((s.xs[i] - s.view.cx) * s.view.scale + c.width / 2), ((s.view.cy - s.ys[i]) * s.view.scale + c.height / 2)];
              for (let i = 0; i < s.count; i++) {
                const [x, y] = at(i);
                let alone = true;
                for (let j = 0; j < s.count && alone; j++) {
                  if (j === i) continue;
                  const [u, v] = at(j);
                  alone = (u - x) ** 2 + (v - y) ** 2 >= 36;
                }
                if (alone) return [Number(s.ids[i]), r.left + x * ratio + 1, r.top + y * ratio + 1];
              }
              return [-1, 0, 0];
            }
            """);
        Assert.True(found[0] >= 0, "no point of the map is 6 pixels from every other");
        return ((int)found[0], found[1], found[2]);
    }
}
