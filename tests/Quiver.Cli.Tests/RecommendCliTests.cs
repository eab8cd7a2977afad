using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary><c>quiver recommend</c> over a collection indexed with the tiny word model.</summary>
public sealed class RecommendCliTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public RecommendCliTests()
    {
        var docs = Path.Combine(_cli.Root, "docs");
        Directory.CreateDirectory(docs);
        File.WriteAllText(Path.Combine(docs, "whale.txt"), "the whale at sea");
        File.WriteAllText(Path.Combine(docs, "ship.txt"), "a ship at sea");
        File.WriteAllText(Path.Combine(docs, "frog.txt"), "the frog and the toad");
        File.WriteAllText(Path.Combine(docs, "rocket.txt"), "the rocket to the moon");
        File.WriteAllText(Path.Combine(docs, "stars.txt"), "the moon and the stars");
        Assert.Equal(0, _cli.Run("index", docs, "-c", "docs", "-m", "tiny").Code);
    }

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("AverageVector")]
    [InlineData("BestScore")]
    [InlineData("SumScores")]
    public void The_nearest_to_the_positive_and_away_from_the_negative_comes_first_and_examples_are_left_out(string strategy)
    {
        var (code, stdout, error) = _cli.Run("recommend", "-c", "docs", "--positive", "whale.txt#0", "--negative", "rocket.txt#0", "--strategy", strategy, "-k", "4", "--json");

        Assert.True(code == 0, error);
        var ids = Json(stdout).GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()).ToList();
        // The sea and animal texts (like the whale) before the one like the rocket.
        Assert.Equal(["frog.txt#0", "ship.txt#0"], ids.Take(2).Order());
        Assert.Equal("stars.txt#0", ids[^1]);
        Assert.DoesNotContain("whale.txt#0", ids);
        Assert.DoesNotContain("rocket.txt#0", ids);
    }

    [Fact]
    public void An_unknown_id_and_no_example_are_one_line_errors()
    {
        var unknown = _cli.Run("recommend", "-c", "docs", "--positive", "nope");
        var none = _cli.Run("recommend", "-c", "docs");

        Assert.Contains("--positive nope: collection 'docs' has no point with that id", unknown.Error);
        Assert.Contains("Give at least one example", none.Error);
    }
}
