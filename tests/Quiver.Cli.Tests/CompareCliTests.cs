using Quiver.Core.Distances;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary><c>quiver compare</c> with the tiny word model: the numbers are the cosines of what <c>embed</c> gives.</summary>
public sealed class CompareCliTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    private float[] Embed(string text)
    {
        var (code, stdout, error) = _cli.Run("embed", text, "-m", "tiny", "--json");
        Assert.True(code == 0, error);
        return Json(stdout).GetProperty("embeddings")[0].GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray();
    }

    [Fact]
    public void The_matrix_holds_the_cosines_of_the_embedded_texts()
    {
        string[] texts = ["the king", "the queen", "a frog at sea"];

        var (code, stdout, error) = _cli.Run(["compare", .. texts, "-m", "tiny", "--json"]);

        Assert.True(code == 0, error);
        var matrix = Json(stdout).GetProperty("cosine");
        var vectors = texts.Select(Embed).ToArray();
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                var expected = i == j ? 1 : VectorMath.Cosine(vectors[i], vectors[j]);
                Assert.Equal(expected, matrix[i][j].GetSingle(), 5);
            }
        }

        Assert.True(matrix[0][1].GetSingle() > matrix[0][2].GetSingle());
    }

    [Fact]
    public void A_query_ranks_the_texts_and_two_texts_give_one_number()
    {
        var ranked = _cli.Run("compare", "-q", "whale", "rocket", "sea", "bread", "-m", "tiny", "--json");
        var pair = _cli.Run("compare", "king", "queen", "-m", "tiny");

        Assert.True(ranked.Code == 0, ranked.Error);
        Assert.Equal("sea", Json(ranked.Output).GetProperty("ranked")[0].GetProperty("text").GetString());
        Assert.Contains($"{VectorMath.Cosine(Embed("king"), Embed("queen")):F3} cosine (tiny", pair.Output);
    }

    [Fact]
    public void Too_few_texts_and_unknown_words_are_one_line_errors()
    {
        var one = _cli.Run("compare", "king", "-m", "tiny");
        var unknown = _cli.Run("compare", "king", "xqzt", "-m", "tiny");

        Assert.Equal(1, one.Code);
        Assert.Contains("compare needs two or more texts", one.Error);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("xqzt", unknown.Error);
        Assert.DoesNotContain("   at ", unknown.Error);
    }
}
