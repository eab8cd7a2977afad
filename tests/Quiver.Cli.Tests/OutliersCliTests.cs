using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary><c>quiver outliers</c> over a file and a collection, with the tiny word model.</summary>
public sealed class OutliersCliTests : IDisposable
{
    private static readonly string[] Animals = ["the frog", "the toad", "a cat", "the dog", "a whale", "the frog at sea", "a toad and a cat", "the dog and the cat"];

    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    private string Csv()
    {
        var path = Path.Combine(_cli.Root, "texts.csv");
        File.WriteAllLines(path, ["text", .. Animals, .. Animals.Select(a => a + " at sea"), "rocket to the moon and stars"]);
        return path;
    }

    [Fact]
    public void The_text_unlike_the_rest_comes_first()
    {
        var (code, stdout, error) = _cli.Run("outliers", "--input", Csv(), "--text-column", "text", "-m", "tiny", "-k", "3", "--json");

        Assert.True(code == 0, error);
        var outliers = Json(stdout).GetProperty("outliers");
        Assert.Equal("rocket to the moon and stars", outliers[0].GetProperty("text").GetString());
        Assert.True(outliers[0].GetProperty("score").GetDouble() > outliers[1].GetProperty("score").GetDouble());
    }

    [Fact]
    public void Write_stores_each_score_in_the_collection_payloads()
    {
        var docs = Path.Combine(_cli.Root, "docs");
        Directory.CreateDirectory(docs);
        for (var i = 0; i < Animals.Length; i++)
        {
            File.WriteAllText(Path.Combine(docs, $"a{i}.txt"), Animals[i]);
        }

        File.WriteAllText(Path.Combine(docs, "space.txt"), "rocket to the moon and stars");
        Assert.Equal(0, _cli.Run("index", docs, "-c", "docs", "-m", "tiny").Code);

        var (code, stdout, error) = _cli.Run("outliers", "-c", "docs", "-k", "2", "--write", "outlier_score", "--json");
        Assert.True(code == 0, error);
        Assert.Equal(9, Json(stdout).GetProperty("written").GetProperty("points").GetInt32());

        var search = _cli.Run("search", "moon", "-c", "docs", "--mode", "dense", "-k", "9", "--where", "outlier_score>1.5", "--json");
        Assert.True(search.Code == 0, search.Error);
        Assert.Contains("space.txt", search.Output);
        Assert.DoesNotContain("a0.txt", search.Output);
    }

    [Fact]
    public void Writing_scores_for_a_file_and_too_large_a_neighbourhood_are_refused()
    {
        var write = _cli.Run("outliers", "--input", Csv(), "-m", "tiny", "--write", "score");
        var large = _cli.Run("outliers", "--input", Csv(), "-m", "tiny", "-k", "50");

        Assert.Equal(1, write.Code);
        Assert.Contains("--write stores scores in collection payloads", write.Error);
        Assert.Equal(1, large.Code);
        Assert.Contains("k = 50 needs more than 50 points", large.Error);
    }
}
