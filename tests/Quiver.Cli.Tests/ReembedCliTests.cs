using System.Text.Json;
using Quiver.Catalogue.Synthetic;
using Quiver.Models.Tokenization;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary>
/// <c>quiver collections reembed</c>: a collection indexed with word vectors moves to a transformer (whose document
/// prompt it then records and whose query prompt search uses), into a new name or in place, and again after its
/// model's revision changed; the same model and revision is refused.
/// </summary>
public sealed class ReembedCliTests : IDisposable
{
    private const string DocumentPrompt = "passage: ";
    private const string QueryPrompt = "frog jumps ";
    private readonly CliFixture _cli = new();

    public ReembedCliTests()
    {
        string[] words = ["the", "a", "whale", "ship", "sea", "swims", "sails", "frog", "pond", "jumps", "in", "of", "on", "is", "cat", "king", "queen", "passage", ":", "."];
        var vocabulary = new WordPieceVocabulary(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. words]);
        var model = Path.Combine(_cli.Root, "bert");
        SyntheticBert.WriteFolder(model, new SyntheticBertOptions { VocabSize = vocabulary.Count, InitStd = 0.2, Seed = 9 }, vocabulary, maxLength: 32);
        File.WriteAllText(
            Path.Combine(model, "config_sentence_transformers.json"),
            $$"""{"prompts": {"query": "{{QueryPrompt}}", "document": "{{DocumentPrompt}}"}, "default_prompt_name": null}""");
        var (code, _, error) = _cli.Run("models", "install", model, "--name", "bert");
        Assert.True(code == 0, error);

        var docs = Path.Combine(_cli.Root, "docs");
        Directory.CreateDirectory(docs);
        File.WriteAllText(Path.Combine(docs, "pond.txt"), "a frog jumps in the pond.");
        File.WriteAllText(Path.Combine(docs, "sea.txt"), "the whale swims in the sea.");
        File.WriteAllText(Path.Combine(docs, "court.txt"), "the king and the queen.");
        (code, _, error) = _cli.Run("index", docs, "--collection", "notes", "--model", "tiny");
        Assert.True(code == 0, error);
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void A_word_vector_collection_moves_to_a_transformer_with_its_prompts()
    {
        var (code, output, error) = _cli.Run("collections", "reembed", "notes", "--model", "bert", "--into", "notes-bert", "--json");
        Assert.True(code == 0, error);
        var result = Json(output);
        Assert.Equal("notes-bert", result.GetProperty("collection").GetString());
        Assert.Equal(3, result.GetProperty("points").GetInt64());
        Assert.Equal(3, result.GetProperty("embedded").GetInt64());
        Assert.StartsWith("bert/", result.GetProperty("model").GetString());

        // The source stays with its word vectors; the copy records the transformer's prompts.
        Assert.StartsWith("tiny/", Inspect("notes").GetProperty("model").GetString());
        var copy = Inspect("notes-bert");
        Assert.Equal(DocumentPrompt, copy.GetProperty("document_prompt").GetString());
        Assert.Equal(QueryPrompt, copy.GetProperty("query_prompt").GetString());

        // Each document was embedded with the document prompt before its text.
        (code, output, error) = _cli.Run("export", "-c", "notes-bert", "-o", Path.Combine(_cli.Root, "copy.jsonl"));
        Assert.True(code == 0, error);
        var pond = File.ReadLines(Path.Combine(_cli.Root, "copy.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(p => p.GetProperty("text").GetString()!.Contains("frog", StringComparison.Ordinal));
        (code, output, error) = _cli.Run("embed", DocumentPrompt + pond.GetProperty("text").GetString(), "--model", "bert");
        Assert.True(code == 0, error);
        var expected = Json(output).GetProperty("embeddings")[0].GetProperty("vector").EnumerateArray().Select(x => x.GetSingle()).ToArray();
        var stored = pond.GetProperty("vector").EnumerateArray().Select(x => x.GetSingle()).ToArray();
        Assert.Equal(expected.Length, stored.Length);
        for (var d = 0; d < expected.Length; d++)
        {
            Assert.Equal(expected[d], stored[d], 1e-5f);
        }

        (code, output, error) = _cli.Run("search", "the whale swims", "--collection", "notes-bert", "--mode", "dense", "-k", "3", "--json");
        Assert.True(code == 0, error);
        Assert.Equal(3, Json(output).GetProperty("hits").GetArrayLength());
    }

    [Fact]
    public void In_place_it_switches_the_collection_and_the_same_revision_is_refused_until_the_model_changes()
    {
        var (code, output, error) = _cli.Run("collections", "reembed", "notes", "--model", "bert");
        Assert.True(code == 0, error);
        Assert.Contains("re-embedded", output);
        Assert.StartsWith("bert/", Inspect("notes").GetProperty("model").GetString());
        Assert.Equal(3, Inspect("notes").GetProperty("count").GetInt64());

        // Without --model the collection's own model is used: the same revision changes nothing and is refused.
        (code, output, error) = _cli.Run("collections", "reembed", "notes");
        Assert.Equal(1, code);
        Assert.Contains("already holds vectors from", error);
        Assert.Contains("--force", error);

        // Back to the word vectors, then the word vectors get a new revision (reinstalled from changed vectors).
        (code, _, error) = _cli.Run("collections", "reembed", "notes", "--model", "tiny");
        Assert.True(code == 0, error);
        var before = Inspect("notes").GetProperty("revision").GetString();
        File.AppendAllText(_cli.VectorsFile, "pond 0.1 0 0 0.5 0.9 0 0 0\n");
        var lines = File.ReadAllLines(_cli.VectorsFile);
        lines[0] = $"{lines.Length - 1} 8";
        File.WriteAllLines(_cli.VectorsFile, lines);
        (code, _, error) = _cli.Run("models", "install", "tiny", "--file", _cli.VectorsFile, "--force");
        Assert.True(code == 0, error);

        (code, output, error) = _cli.Run("collections", "reembed", "notes", "--json");
        Assert.True(code == 0, error);
        var result = Json(output);
        Assert.Equal(before, result.GetProperty("from_revision").GetString());
        Assert.NotEqual(before, result.GetProperty("revision").GetString());
        Assert.Equal(result.GetProperty("revision").GetString(), Inspect("notes").GetProperty("revision").GetString());
    }

    [Fact]
    public void Search_after_the_model_was_reinstalled_is_refused_naming_both_revisions_until_reembedded()
    {
        var before = Inspect("notes").GetProperty("revision").GetString()!;
        File.AppendAllText(_cli.VectorsFile, "pond 0.1 0 0 0.5 0.9 0 0 0\n");
        var lines = File.ReadAllLines(_cli.VectorsFile);
        lines[0] = $"{lines.Length - 1} 8";
        File.WriteAllLines(_cli.VectorsFile, lines);
        var (code, _, error) = _cli.Run("models", "install", "tiny", "--file", _cli.VectorsFile, "--force");
        Assert.True(code == 0, error);

        (code, _, var refused) = _cli.Run("search", "frog", "--collection", "notes", "--mode", "dense");
        Assert.Equal(1, code);
        Assert.Contains("Collection 'notes'", refused);
        Assert.Contains($"@{before[..Math.Min(12, before.Length)]}", refused);
        Assert.Contains("reinstalled or replaced", refused);
        Assert.Contains("quiver collections reembed notes", refused);

        (code, _, error) = _cli.Run("collections", "reembed", "notes");
        Assert.True(code == 0, error);
        var after = Inspect("notes").GetProperty("revision").GetString()!;
        Assert.NotEqual(before, after);
        Assert.Contains($"@{after[..Math.Min(12, after.Length)]}", refused);

        (code, var output, error) = _cli.Run("search", "frog", "--collection", "notes", "--mode", "dense", "--json");
        Assert.True(code == 0, error);
        Assert.Equal(3, Json(output).GetProperty("hits").GetArrayLength());
    }

    [Fact]
    public void Bad_input_is_named_with_the_fix()
    {
        var (code, _, error) = _cli.Run("collections", "reembed", "nothing", "--model", "bert");
        Assert.Equal(1, code);
        Assert.Contains("no collection named 'nothing'", error);

        (code, _, error) = _cli.Run("collections", "reembed", "notes", "--model", "bert", "--into", "notes");
        Assert.Equal(1, code);
        Assert.Contains("already exists", error);

        (code, _, error) = _cli.Run("collections", "reembed", "notes", "--model", "bert", "--batch-size", "0");
        Assert.Equal(1, code);
        Assert.Contains("--batch-size", error);

        (code, var help, _) = _cli.Run("collections", "reembed", "--help");
        Assert.Equal(0, code);
        Assert.Contains("quiver collections reembed docs --model", help);
        Assert.Contains("--drop-textless", help);
    }

    private JsonElement Inspect(string collection)
    {
        var (code, output, error) = _cli.Run("inspect", collection, "--json");
        Assert.True(code == 0, error);
        return Json(output).GetProperty("collection");
    }
}
