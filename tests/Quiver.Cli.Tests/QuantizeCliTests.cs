using Quiver.Catalogue.Synthetic;
using Quiver.Models.Tokenization;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary><c>quiver models quantize</c> on a small random-weight BERT, with and without evaluation data.</summary>
public sealed class QuantizeCliTests : IDisposable
{
    private static readonly string[] Words = ["the", "a", "whale", "ship", "sea", "swims", "sails", "frog", "pond", "jumps", "in", "of", "on", "cat", "mat", "sat", "."];

    private readonly CliFixture _cli = new();

    public QuantizeCliTests()
    {
        var vocabulary = new WordPieceVocabulary(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. Words]);
        var model = Path.Combine(_cli.Root, "tiny-bert");
        SyntheticBert.WriteFolder(model, new SyntheticBertOptions { VocabSize = vocabulary.Count, InitStd = 0.2, Seed = 41 }, vocabulary, maxLength: 64);
        var (code, _, error) = _cli.Run("models", "install", model, "--name", "bert");
        Assert.True(code == 0, error);
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Quantize_installs_the_copy_and_compares_quality_and_speed_as_json()
    {
        var sts = Path.Combine(_cli.Root, "sts.csv");
        File.WriteAllLines(sts, [.. Enumerable.Range(0, 12).Select(i => $"g\tf\t2012\t{i}\t{i % 5}.0\t{Sentence(i)}\t{Sentence(i + (i % 3))}")]);
        var cisi = WriteCisi();

        var (code, output, error) = _cli.Run("models", "quantize", "bert", "-o", "bert-int8", "--sts", sts, "--retrieval", cisi, "--threads", "1", "--rounds", "2", "--json");

        Assert.True(code == 0, error);
        var json = Json(output);
        var manifest = json.GetProperty("quantized");
        Assert.Equal("bert-int8", manifest.GetProperty("name").GetString());
        var sourceRevision = json.GetProperty("source").GetProperty("revision").GetString();
        Assert.Equal($"quantized from bert@{sourceRevision}", manifest.GetProperty("source").GetString());
        Assert.NotEqual(sourceRevision, manifest.GetProperty("revision").GetString());
        Assert.Equal(12, json.GetProperty("summary").GetProperty("mat_muls").GetInt32());

        var quality = json.GetProperty("sts");
        Assert.Equal(12, quality.GetProperty("pairs").GetInt32());
        Assert.Equal(quality.GetProperty("quantized_spearman").GetDouble() - quality.GetProperty("source_spearman").GetDouble(), quality.GetProperty("change").GetDouble(), 12);
        var retrieval = json.GetProperty("retrieval");
        Assert.Equal("cisi", retrieval.GetProperty("collection").GetString());
        Assert.Equal(2, retrieval.GetProperty("judged_queries").GetInt32());
        Assert.InRange(retrieval.GetProperty("source_ndcg10").GetDouble(), 0, 1);

        var speed = json.GetProperty("speed");
        Assert.Equal(24, speed.GetProperty("sentences").GetInt32());
        Assert.Equal(1, speed.GetProperty("threads").GetInt32());
        Assert.Equal(2, speed.GetProperty("quantized_rates").GetArrayLength());
        Assert.True(speed.GetProperty("speedup").GetDouble() > 0);
        Assert.Equal(0, json.GetProperty("notes").GetArrayLength());
        Assert.Contains("speed round 2/2", error, StringComparison.Ordinal);

        (code, output, _) = _cli.Run("models", "list", "--json");
        Assert.Equal(0, code);
        Assert.Contains(Json(output).GetProperty("installed").EnumerateArray(), m => m.GetProperty("name").GetString() == "bert-int8");
    }

    [Fact]
    public void Without_evaluation_data_quality_is_skipped_with_a_note_and_speed_still_measured()
    {
        var missing = Path.Combine(_cli.Root, "no-such-data");

        var (code, output, error) = _cli.Run("models", "quantize", "bert", "-o", "bert-int8", "--sts", Path.Combine(missing, "sts-dev.csv"), "--retrieval", missing, "--rounds", "1");

        Assert.True(code == 0, error);
        Assert.Contains("installed bert-int8", output, StringComparison.Ordinal);
        Assert.Contains("STS-B not compared", output, StringComparison.Ordinal);
        Assert.Contains("retrieval not compared", output, StringComparison.Ordinal);
        Assert.Contains("sentences/s", output, StringComparison.Ordinal);
        Assert.Contains("generated sentences", output, StringComparison.Ordinal);
        Assert.DoesNotContain("STS-B dev Spearman", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_installed_target_needs_force_and_a_word_model_is_refused()
    {
        Assert.Equal(0, _cli.Run("models", "quantize", "bert", "-o", "bert-int8", "--no-eval").Code);

        var (code, _, error) = _cli.Run("models", "quantize", "bert", "-o", "bert-int8", "--no-eval");
        Assert.Equal(1, code);
        Assert.Contains("--force", error, StringComparison.Ordinal);
        Assert.Equal(0, _cli.Run("models", "quantize", "bert", "-o", "bert-int8", "--no-eval", "--force").Code);

        (code, _, error) = _cli.Run("models", "quantize", "tiny", "-o", "tiny-int8", "--no-eval");
        Assert.Equal(1, code);
        Assert.Contains("word-vectors", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_cli.Paths.Models, "tiny-int8")));
    }

    [Fact]
    public void Help_has_an_example()
    {
        var (code, output, _) = _cli.Run("models", "quantize", "--help");

        Assert.Equal(0, code);
        Assert.Contains("quiver models quantize all-minilm-l6-v2 -o all-minilm-l6-v2-int8", output, StringComparison.Ordinal);
        Assert.Contains("--per-tensor", output, StringComparison.Ordinal);
    }

    private static string Sentence(int i) => string.Join(' ', Enumerable.Range(0, 3 + (i % 7)).Select(j => Words[((i * 7) + (j * 3)) % (Words.Length - 1)])) + " .";

    /// <summary>A collection in CISI's SMART layout: four documents, three queries of which two are judged.</summary>
    private string WriteCisi()
    {
        var folder = Path.Combine(_cli.Root, "cisi");
        Directory.CreateDirectory(folder);
        string[] documents = ["the whale swims in the sea", "a ship sails on the sea", "the frog jumps in the pond", "a cat sat on the mat"];
        File.WriteAllText(Path.Combine(folder, "CISI.ALL"), string.Concat(documents.Select((d, i) => $".I {i + 1}\n.T\n{d}\n.W\n{d} .\n")));
        string[] queries = ["whale in the sea", "frog of the pond", "cat"];
        File.WriteAllText(Path.Combine(folder, "CISI.QRY"), string.Concat(queries.Select((q, i) => $".I {i + 1}\n.W\n{q}\n")));
        File.WriteAllText(Path.Combine(folder, "CISI.REL"), "     1     1\t0\t0.000000\n     1     2\t0\t0.000000\n     2     3\t0\t0.000000\n");
        return folder;
    }
}
