namespace Quiver.Server.Tests;

/// <summary>The explorer's files come from the server assembly and need no key; its data routes do.</summary>
public sealed class ExplorerPageServingTests
{
    [Fact]
    public async Task The_page_and_its_files_are_served_without_a_key_and_the_data_behind_it_is_not()
    {
        await using var server = new ServerFixture(o => o with { AdminKeys = ["admin"], ReadOnlyKeys = ["reader"] });

        using var page = await server.Client.GetAsync(new Uri("/explorer", UriKind.Relative));
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/explorer/explorer.js\">", html);

        foreach (var (file, type) in new[] { ("explorer.js", "text/javascript"), ("explorer.css", "text/css") })
        {
            using var response = await server.Client.GetAsync(new Uri("/explorer/" + file, UriKind.Relative));
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 1000);
        }

        // Nothing else under /explorer slips past the key check, and the data routes want a key.
        Assert.Equal(401, (await server.Get("/explorer/secrets.json")).Status);
        Assert.Equal(401, (await server.Get("/models")).Status);
        Assert.Equal(200, (await server.Get("/models", key: "reader")).Status);
    }

    [Fact]
    public async Task A_file_the_explorer_does_not_have_is_a_404_naming_the_page()
    {
        await using var server = new ServerFixture();
        var (status, body) = await server.Get("/explorer/missing.js");
        Assert.Equal(404, status);
        Assert.Contains("open /explorer", body!.ToJsonString());
    }
}
