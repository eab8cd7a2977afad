using System.Text.Json;
using Quiver.Catalogue.Synthetic;
using Quiver.Models.Tokenization;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary>The CLI with a transformer model folder: install, embed, index, search and eval sts.</summary>
public sealed class TransformerCliTests : IDisposable
{
    private static readonly string[] Words =
    [
        "the", "a", "whale", "ship", "sea", "swims", "sails", "frog", "pond", "jumps", "in", "of", "on", "is", "cat", "mat", "sat", ".", ",",
    ];

    private readonly CliFixture _cli = new();
    private readonly string _model;

    public TransformerCliTests()
    {
        var tokens = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };
        tokens.AddRange(Words);
        tokens.AddRange(["##s", "##ing"]);
        var vocabulary = new WordPieceVocabulary(tokens);
        _model = Path.Combine(_cli.Root, "tiny-bert");
        SyntheticBert.WriteFolder(_model, new SyntheticBertOptions { VocabSize = vocabulary.Count, InitStd = 0.2, Seed = 3 }, vocabulary, maxLength: 16);
    }

    public void Dispose() => _cli.Dispose();

    private void Install()
    {
        var (code, output, error) = _cli.Run("models", "install", _model, "--name", "bert", "--json");
        Assert.True(code == 0, error);
        Assert.Equal("transformer", Json(output).GetProperty("kind").GetString());
    }

    [Fact]
    public void An_installed_folder_embeds_with_token_counts_and_truncation()
    {
        Install();
        var (code, output, error) = _cli.Run("embed", "the whale swims", "the cat sat on the mat the cat sat on the mat the cat sat", "--model", "bert");
        Assert.True(code == 0, error);
        var json = Json(output);
        Assert.Equal("bert/mean", json.GetProperty("model").GetString());
        Assert.Equal(32, json.GetProperty("dimensions").GetInt32());
        var embeddings = json.GetProperty("embeddings").EnumerateArray().ToList();
        Assert.Equal(5, embeddings[0].GetProperty("tokens").GetInt32());
        Assert.Equal(0, embeddings[0].GetProperty("truncated_tokens").GetInt32());
        Assert.Equal(17 - 16, embeddings[1].GetProperty("truncated_tokens").GetInt32());
        var v = embeddings[0].GetProperty("vector").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(1.0, Math.Sqrt(v.Sum(x => x * x)), 4);

        (code, output, _) = _cli.Run("embed", "the whale swims", "--model", "bert", "--dimensions", "8", "--pooling", "cls");
        Assert.Equal(0, code);
        Assert.Equal("bert/cls", Json(output).GetProperty("model").GetString());
        Assert.Equal(8, Json(output).GetProperty("embeddings")[0].GetProperty("vector").GetArrayLength());
    }

    [Fact]
    public void Too_long_input_with_the_error_policy_fails_with_the_fix()
    {
        Install();
        var (code, output, error) = _cli.Run("embed", string.Join(' ', Enumerable.Repeat("whale", 30)), "--model", "bert", "--truncation", "Error");
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("32 tokens", error);
        Assert.Contains("--truncation Chunk", error);
    }

    [Fact]
    public void Index_and_search_use_the_collections_transformer_model()
    {
        Install();
        var docs = Path.Combine(_cli.Root, "docs");
        Directory.CreateDirectory(docs);
        File.WriteAllText(Path.Combine(docs, "sea.txt"), "the whale swims in the sea.\n\nthe ship sails on the sea.");
        File.WriteAllText(Path.Combine(docs, "pond.txt"), "a frog jumps in the pond.");
        var (code, _, error) = _cli.Run("index", docs, "--collection", "notes", "--model", "bert");
        Assert.True(code == 0, error);
        string output;
        (code, output, error) = _cli.Run("search", "a frog jumps in the pond.", "--collection", "notes", "-k", "1", "--mode", "dense", "--json");
        Assert.True(code == 0, error);
        var hit = Json(output).GetProperty("hits")[0];
        Assert.Equal("pond.txt", hit.GetProperty("payload").GetProperty("path").GetString());

        // Dense scores are cosines: the document's own text scores 1 (the default, hybrid, scores by fused rank).
        Assert.Equal(1.0, hit.GetProperty("score").GetDouble(), 4);
    }

    [Fact]
    public void Eval_sts_runs_a_transformer_model()
    {
        Install();
        var sts = Path.Combine(_cli.Root, "sts.csv");
        File.WriteAllLines(sts,
        [
            "g\tf\ty\t1\t5.0\tthe whale swims\tthe whale swims",
            "g\tf\ty\t2\t0.5\tthe whale swims\ta frog jumps",
            "g\tf\ty\t3\t4.0\tthe cat sat\tthe cat sat on the mat",
            "g\tf\ty\t4\t1.0\tthe ship sails\tthe frog of the pond",
        ]);
        var (code, output, error) = _cli.Run("eval", "sts", sts, "--model", "bert", "--pooling", "mean", "cls", "--json");
        Assert.True(code == 0, error);
        var results = Json(output).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["mean", "cls"], results.Select(r => r.GetProperty("pooling").GetString()));
        Assert.All(results, r => Assert.Equal(4, r.GetProperty("pairs").GetInt32()));
    }

    [Fact]
    public void A_folder_with_a_missing_file_is_refused_naming_it()
    {
        File.Delete(Path.Combine(_model, "config.json"));
        var (code, _, error) = _cli.Run("models", "install", _model, "--name", "broken");
        Assert.Equal(1, code);
        Assert.Contains("config.json", error);
        Assert.Contains("missing", error);
    }
}
