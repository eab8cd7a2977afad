using System.Text.Json;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

public sealed class CliSmokeTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    [Fact]
    public void Models_list_shows_the_registered_model_and_the_catalogue()
    {
        var (code, output, _) = fixture.Run("models", "list", "--json");
        Assert.Equal(0, code);
        var json = Json(output);
        var tiny = Assert.Single(json.GetProperty("installed").EnumerateArray());
        Assert.Equal("tiny", tiny.GetProperty("name").GetString());
        Assert.Equal(23, tiny.GetProperty("words").GetInt32());
        Assert.Contains(json.GetProperty("catalogue").EnumerateArray(), e => e.GetProperty("name").GetString() == "glove-100");
    }

    [Fact]
    public void Similar_and_analogy_answer_from_the_vectors()
    {
        var (code, output, _) = fixture.Run("similar", "frog", "--model", "tiny", "-k", "2", "--json");
        Assert.Equal(0, code);
        Assert.Equal("toad", Json(output)[0].GetProperty("word").GetString());

        (code, output, _) = fixture.Run("analogy", "King", "man", "woman", "--model", "tiny", "--json");
        Assert.Equal(0, code);
        Assert.Equal("queen", Json(output)[0].GetProperty("word").GetString());

        (code, output, _) = fixture.Run("analogy", "king", "man", "woman", "--model", "tiny", "--method", "CosMul");
        Assert.Equal(0, code);
        Assert.Contains("queen", output);

        (code, output, _) = fixture.Run("odd-one-out", "bread", "soup", "rocket", "--model", "tiny", "--json");
        Assert.Equal(0, code);
        Assert.Equal("rocket", Json(output).GetProperty("word").GetString());
    }

    [Fact]
    public void Embed_prints_unit_vectors_with_unknown_words()
    {
        var (code, output, _) = fixture.Run("embed", "The whale of the sea", "a frog, blorp!", "--model", "tiny", "--pooling", "Mean");
        Assert.Equal(0, code);
        var json = Json(output);
        Assert.Equal(8, json.GetProperty("dimensions").GetInt32());
        var embeddings = json.GetProperty("embeddings").EnumerateArray().ToList();
        Assert.Equal(2, embeddings.Count);
        var v = embeddings[0].GetProperty("vector").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(1.0, Math.Sqrt(v.Sum(x => x * x)), 4);
        Assert.Equal(["blorp"], embeddings[1].GetProperty("unknown_words").EnumerateArray().Select(x => x.GetString()));
    }

    [Fact]
    public void Embedding_a_text_without_known_words_fails_with_a_clear_message()
    {
        var (code, output, error) = fixture.Run("embed", "blorp zzyzx", "--model", "tiny");
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("blorp", error);
        Assert.Contains("vocabulary", error);
    }

    [Fact]
    public void Index_then_search_finds_the_right_file()
    {
        var docs = Path.Combine(fixture.Root, "docs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(docs, "nested"));
        File.WriteAllText(Path.Combine(docs, "ocean.txt"), "The whale swims at sea.\n\nA ship of the sea.");
        File.WriteAllText(Path.Combine(docs, "nested", "space.md"), "# Rocket\n\nThe rocket flew to the moon and the stars.");
        File.WriteAllText(Path.Combine(docs, "kitchen.txt"), "Bread and soup.");
        File.WriteAllBytes(Path.Combine(docs, "broken.txt"), [0xff, 0x00, 0x01]);

        var (code, output, error) = fixture.Run("index", docs, "--collection", "smoke", "--model", "tiny", "--json");
        Assert.True(code == 0, error);
        var summary = Json(output);
        Assert.Equal(3, summary.GetProperty("files").GetInt32());
        Assert.True(summary.GetProperty("chunks").GetInt32() >= 3);
        Assert.Contains(summary.GetProperty("skipped").EnumerateArray(), s => s.GetProperty("path").GetString() == "broken.txt");

        (code, output, error) = fixture.Run("search", "whale hunting at sea", "--collection", "smoke", "-k", "2", "--json");
        Assert.True(code == 0, error);
        var hits = Json(output).GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal("ocean.txt", hits[0].GetProperty("payload").GetProperty("path").GetString());

        (code, output, _) = fixture.Run("search", "moon", "--collection", "smoke", "--where", "path=kitchen.txt", "--json");
        Assert.Equal(0, code);
        var filtered = Json(output).GetProperty("hits").EnumerateArray().ToList();
        Assert.All(filtered, h => Assert.Equal("kitchen.txt", h.GetProperty("payload").GetProperty("path").GetString()));

        (code, output, _) = fixture.Run("search", "rocket to the moon", "--collection", "smoke");
        Assert.Equal(0, code);
        Assert.Contains("nested/space.md", output);

        (code, _, error) = fixture.Run("collections", "index-field", "smoke", "path");
        Assert.True(code == 0, error);
        (code, output, _) = fixture.Run("search", "moon", "--collection", "smoke", "--where", "path=kitchen.txt", "--json");
        Assert.Equal(0, code);
        Assert.All(Json(output).GetProperty("hits").EnumerateArray(), h => Assert.Equal("kitchen.txt", h.GetProperty("payload").GetProperty("path").GetString()));

        (code, output, error) = fixture.Run("inspect", "smoke", "--json");
        Assert.True(code == 0, error);
        var inspect = Json(output);
        Assert.Equal(summary.GetProperty("chunks").GetInt32(), inspect.GetProperty("index").GetProperty("live_points").GetInt32());
        Assert.True(inspect.GetProperty("index").GetProperty("bytes_per_vector").GetDouble() >= 8 * sizeof(float));

        (code, output, _) = fixture.Run("collections", "list", "--json");
        Assert.Equal(0, code);
        Assert.Contains(Json(output).EnumerateArray(), c => c.GetProperty("name").GetString() == "smoke" && c.GetProperty("model").GetString() == "tiny/sif");
    }

    [Fact]
    public void Errors_name_the_problem_and_exit_non_zero()
    {
        var (code, _, error) = fixture.Run("similar", "frog", "--model", "absent");
        Assert.Equal(1, code);
        Assert.Contains("'absent' is not installed", error);

        (code, _, error) = fixture.Run("similar", "qwertyuiop", "--model", "tiny");
        Assert.Equal(1, code);
        Assert.Contains("'qwertyuiop' is not in the vocabulary", error);

        (code, _, error) = fixture.Run("search", "anything", "--collection", "never-made");
        Assert.Equal(1, code);
        Assert.Contains("no collection named 'never-made'", error);

        (code, _, error) = fixture.Run("models", "install", "tiny", "--file", fixture.VectorsFile);
        Assert.Equal(1, code);
        Assert.Contains("already installed", error);

        (code, _, error) = fixture.Run("eval", "words", "--data", Path.Combine(fixture.Root, "nowhere"), "--model", "tiny");
        Assert.Equal(1, code);
        Assert.Contains("--data", error);

        (code, _, _) = fixture.Run("no-such-verb");
        Assert.NotEqual(0, code);
    }

    [Fact]
    public void Eval_words_and_sts_report_the_standard_metrics()
    {
        var data = Path.Combine(fixture.Root, "data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(data, "word-analogy"));
        Directory.CreateDirectory(Path.Combine(data, "word-similarity"));
        File.WriteAllText(Path.Combine(data, "word-analogy", "questions-words.txt"), ": family\nman king woman queen\nMan Woman King Queen\n: other\nfrog toad cat unknownword\n");
        File.WriteAllText(Path.Combine(data, "word-similarity", "EN-TEST.txt"), "king\tqueen\t8\nfrog\ttoad\t9\ncat\trocket\t1\nbread\tnope\t3\n");

        var (code, output, error) = fixture.Run("eval", "words", "--data", data, "--model", "tiny", "--restrict", "0", "--json");
        Assert.True(code == 0, error);
        var json = Json(output);
        var overall = json.GetProperty("analogy").EnumerateArray().Single(s => s.GetProperty("section").GetString() == "overall");
        Assert.Equal(3, overall.GetProperty("questions").GetInt32());
        Assert.Equal(2, overall.GetProperty("answered").GetInt32());
        Assert.Equal(2, overall.GetProperty("correct").GetInt32());
        var similarity = Assert.Single(json.GetProperty("similarity").EnumerateArray());
        Assert.Equal(1, similarity.GetProperty("oov").GetInt32());
        Assert.Equal(1.0, similarity.GetProperty("spearman").GetDouble(), 6);

        var sts = Path.Combine(data, "sts.csv");
        File.WriteAllText(sts, string.Join('\n',
            "g\tf\ty\t1\t5.0\tThe king and the queen.\tA queen and a king.",
            "g\tf\ty\t2\t0.5\tThe rocket to the moon.\tBread and soup.\textra\tcolumns",
            "g\tf\ty\t3\t3.0\tA frog at sea.\tThe whale \"of the sea.",
            "g\tf\ty\t4\t1.0\tThe cat.\tThe stars."));
        (code, output, error) = fixture.Run("eval", "sts", sts, "--model", "tiny", "--json");
        Assert.True(code == 0, error);
        var results = Json(output).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["Mean", "Sif"], results.Select(r => r.GetProperty("pooling").GetString()));
        Assert.All(results, r => Assert.Equal(4, r.GetProperty("pairs").GetInt32()));
        Assert.All(results, r => Assert.InRange(r.GetProperty("spearman").GetDouble(), 0.5, 1.0));
    }

    [Theory]
    [InlineData("models", "install")]
    [InlineData("models", "list")]
    [InlineData("models", "fit-sif")]
    [InlineData("embed")]
    [InlineData("similar")]
    [InlineData("analogy")]
    [InlineData("odd-one-out")]
    [InlineData("index")]
    [InlineData("search")]
    [InlineData("collections", "list")]
    [InlineData("collections", "delete")]
    [InlineData("inspect")]
    [InlineData("collections", "index-field")]
    [InlineData("eval", "words")]
    [InlineData("eval", "sts")]
    [InlineData("eval", "images")]
    public void Every_verb_has_help_with_an_example(params string[] verb)
    {
        var (code, output, _) = fixture.Run([.. verb, "--help"]);
        Assert.Equal(0, code);
        Assert.Contains("Example", output);
        Assert.Contains("quiver " + string.Join(" ", verb), output);
    }
}
