using System.Text.Json.Nodes;
using Quiver.Store.Collections;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

public sealed class SearchOutputCliTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    private string IndexOcean(string collection)
    {
        var docs = Path.Combine(fixture.Root, "ocean-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(docs);
        var lines = Enumerable.Range(1, 10).Select(i => i switch
        {
            5 => "The harpoon struck the whale at sea and the ship turned.",
            _ => $"Line {i} says the cat sat on a mat of the moon.",
        });
        File.WriteAllText(Path.Combine(docs, "ocean-life.md"), string.Join('\n', lines) + "\n");
        var (code, _, error) = fixture.Run("index", docs, "--collection", collection, "--model", "tiny", "--max-tokens", "24", "--overlap", "0");
        Assert.True(code == 0, error);
        return docs;
    }

    [Fact]
    public void Hits_show_file_lines_and_a_snippet_around_the_query_words_and_hybrid_is_the_default()
    {
        IndexOcean("lines");
        var (code, output, error) = fixture.Run("search", "harpoon whale", "--collection", "lines", "-k", "1", "--json");
        Assert.True(code == 0, error);
        var json = Json(output);
        Assert.Equal("hybrid", json.GetProperty("mode").GetString());
        var hit = json.GetProperty("hits")[0];
        var (first, last) = (hit.GetProperty("first_line").GetInt32(), hit.GetProperty("last_line").GetInt32());
        Assert.InRange(5, first, last);
        Assert.Equal($"ocean-life.md:{first}-{last}", hit.GetProperty("location").GetString());
        Assert.Contains("The harpoon struck the whale", hit.GetProperty("snippet").GetString(), StringComparison.Ordinal);

        // The table shows the same location and the snippet, not a character offset.
        (code, output, error) = fixture.Run("search", "harpoon whale", "--collection", "lines", "-k", "1");
        Assert.True(code == 0, error);
        Assert.Contains($"ocean-life.md:{first}-{last}", output, StringComparison.Ordinal);
        Assert.Contains("harpoon struck the whale", output, StringComparison.Ordinal);
        Assert.Contains("│ rrf ", output, StringComparison.Ordinal);   // a fused score is not mistaken for a cosine

        (code, output, _) = fixture.Run("search", "harpoon whale", "--collection", "lines", "-k", "1", "--mode", "keyword");
        Assert.Equal(0, code);
        Assert.Contains("│ bm25 ", output, StringComparison.Ordinal);
        (code, output, _) = fixture.Run("search", "harpoon whale", "--collection", "lines", "-k", "1", "--mode", "dense");
        Assert.Equal(0, code);
        Assert.Contains("│ cosine ", output, StringComparison.Ordinal);

        // --mode dense still works, and its snippet is the chunk's start.
        (code, output, error) = fixture.Run("search", "harpoon whale", "--collection", "lines", "-k", "1", "--mode", "dense", "--json");
        Assert.True(code == 0, error);
        json = Json(output);
        Assert.Equal("dense", json.GetProperty("mode").GetString());
        var dense = json.GetProperty("hits")[0];
        Assert.StartsWith(dense.GetProperty("text").GetString()![..10], dense.GetProperty("snippet").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_collection_without_text_falls_back_to_dense_with_a_note_and_old_payloads_show_character_offsets()
    {
        IndexOcean("source");
        var store = CollectionStore.FromPaths(fixture.Paths);
        var space = store.Open("source").Space;
        using (var vectors = store.OpenOrCreate("vectors-only", new CollectionOptions(space)))
        {
            vectors.Upsert([new Point("p1", Embed("whale at sea"), new JsonObject { ["path"] = "old.txt" })], space);
        }

        var (code, output, error) = fixture.Run("search", "whale", "--collection", "vectors-only", "--json");
        Assert.True(code == 0, error);
        Assert.Equal("dense", Json(output).GetProperty("mode").GetString());
        Assert.Contains("no text for keyword search", error, StringComparison.Ordinal);

        // A chunk indexed before line numbers were stored: its character offsets stand in for them.
        using (var old = store.OpenOrCreate("before-lines", new CollectionOptions(space)))
        {
            old.Upsert([new Point("old.txt#0", Embed("whale at sea"), new JsonObject { ["path"] = "old.txt", ["start"] = 309, ["end"] = 330 }, "The whale swam at sea.")], space);
        }

        (code, output, error) = fixture.Run("search", "whale", "--collection", "before-lines");
        Assert.True(code == 0, error);
        Assert.Contains("old.txt chars 309-330", output, StringComparison.Ordinal);
    }

    private float[] Embed(string text)
    {
        var (code, output, error) = fixture.Run("embed", text, "--model", "tiny");
        Assert.True(code == 0, error);
        return Json(output).GetProperty("embeddings")[0].GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray();
    }
}
