using System.Text.Json;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary>
/// `quiver eval words --subwords` on a fastText model trained through the CLI (its own QUIVER_HOME, so the models
/// it installs do not show in the smoke tests' model list).
/// </summary>
public sealed class FastTextEvalCliTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    [Fact]
    public void Eval_words_with_subwords_scores_unseen_words_from_a_fasttext_models_ngrams()
    {
        var data = Path.Combine(fixture.Root, "data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(data, "word-analogy"));
        Directory.CreateDirectory(Path.Combine(data, "word-similarity"));
        File.WriteAllText(Path.Combine(data, "word-analogy", "questions-words.txt"), ": family\nman king woman queen\n");
        // "whales" and "sailors" are not in the corpus; their n-grams are ("whale", "sailor").
        File.WriteAllText(Path.Combine(data, "word-similarity", "EN-TEST.txt"), "whale\tsea\t9\nwhales\tsea\t8\nsailors\tship\t7\nbread\tship\t1\n");
        var corpus = Path.Combine(data, "corpus.txt");
        var lines = Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? "the whale swims in the sea near the ship" : "the sailor eats bread on the ship at sea");
        File.WriteAllLines(corpus, lines);

        var (code, _, error) = fixture.Run("train", "fasttext", corpus, "-o", "tiny-ft", "--force", "--dim", "16", "--min-count", "1", "--buckets", "5000", "--epochs", "2", "--threads", "1");
        Assert.True(code == 0, error);

        (code, var output, error) = fixture.Run("eval", "words", "--data", data, "--model", "tiny-ft", "--restrict", "0", "--json");
        Assert.True(code == 0, error);
        var plain = Assert.Single(Json(output).GetProperty("similarity").EnumerateArray());
        Assert.Equal(2, plain.GetProperty("used").GetInt32());
        Assert.Equal(2, plain.GetProperty("oov").GetInt32());
        Assert.Equal(0, plain.GetProperty("composed").GetInt32());

        (code, output, error) = fixture.Run("eval", "words", "--data", data, "--model", "tiny-ft", "--restrict", "0", "--subwords", "--json");
        Assert.True(code == 0, error);
        var composed = Assert.Single(Json(output).GetProperty("similarity").EnumerateArray());
        Assert.Equal(4, composed.GetProperty("used").GetInt32());
        Assert.Equal(0, composed.GetProperty("oov").GetInt32());
        Assert.Equal(2, composed.GetProperty("composed").GetInt32());

        (code, _, error) = fixture.Run("eval", "words", "--data", data, "--model", "tiny", "--subwords");
        Assert.Equal(1, code);
        Assert.Contains("quiver train fasttext", error);
    }
}
