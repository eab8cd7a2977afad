using System.Text.Json;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

public sealed class SearchModeCliTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    [Fact]
    public void Keyword_and_hybrid_modes_search_the_indexed_text()
    {
        var docs = Path.Combine(fixture.Root, "modes-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(docs);
        File.WriteAllText(Path.Combine(docs, "ocean.txt"), "The whale swims at sea.");
        File.WriteAllText(Path.Combine(docs, "logs.txt"), "Indexing zanzibar archives of the rocket.");
        File.WriteAllText(Path.Combine(docs, "kitchen.txt"), "Bread and soup.");
        var (code, _, error) = fixture.Run("index", docs, "--collection", "modes", "--model", "tiny", "--stemming", "English", "--json");
        Assert.True(code == 0, error);

        // "zanzibar" is no word of the tiny model, but BM25 finds it; English stemming matches "indexed".
        (code, var output, error) = fixture.Run("search", "indexed zanzibar", "--collection", "modes", "--mode", "keyword", "--json");
        Assert.True(code == 0, error);
        var hit = Assert.Single(Json(output).GetProperty("hits").EnumerateArray());
        Assert.Equal("logs.txt", hit.GetProperty("payload").GetProperty("path").GetString());

        (code, output, error) = fixture.Run("search", "whale at sea", "--collection", "modes", "--mode", "hybrid", "--fusion", "weighted", "--weight", "0.5", "--mmr", "0.7", "-k", "2", "--json");
        Assert.True(code == 0, error);
        Assert.Equal("ocean.txt", Json(output).GetProperty("hits")[0].GetProperty("payload").GetProperty("path").GetString());

        (code, output, error) = fixture.Run("ask-context", "zanzibar rocket", "--collection", "modes", "--budget", "40", "--json");
        Assert.True(code == 0, error);
        var context = Json(output);
        Assert.Equal("logs.txt", context.GetProperty("passages")[0].GetProperty("path").GetString());
        Assert.StartsWith("[1] logs.txt, chars 0-", context.GetProperty("prompt").GetString(), StringComparison.Ordinal);
        Assert.True(context.GetProperty("used_tokens").GetInt32() <= 40);

        (code, _, error) = fixture.Run("search", "whale", "--collection", "modes", "--mode", "hybrid", "--fusion", "borda");
        Assert.Equal(1, code);
        Assert.Contains("borda", error);
        (code, _, error) = fixture.Run("search", "?!", "--collection", "modes", "--mode", "keyword");
        Assert.Equal(1, code);
        Assert.Contains("no words", error);
    }
}
