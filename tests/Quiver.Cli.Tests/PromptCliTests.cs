using System.Text.Json;
using Quiver.Catalogue.Synthetic;
using Quiver.Models.Tokenization;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary>
/// A model's named prompts apply by themselves: index embeds documents with the document prompt (none here), search
/// embeds queries with the query prompt, and the collection records both; --prompt takes a name, --prompt-text text.
/// </summary>
public sealed class PromptCliTests : IDisposable
{
    private const string QueryPrompt = "frog jumps ";

    private readonly CliFixture _cli = new();

    public PromptCliTests()
    {
        string[] words = ["the", "a", "whale", "ship", "sea", "swims", "sails", "frog", "pond", "jumps", "in", "of", "on", "is", "cat", "mat", "sat", "."];
        var vocabulary = new WordPieceVocabulary(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. words]);
        var model = Path.Combine(_cli.Root, "asym");
        SyntheticBert.WriteFolder(model, new SyntheticBertOptions { VocabSize = vocabulary.Count, InitStd = 0.2, Seed = 5 }, vocabulary, maxLength: 32);
        File.WriteAllText(Path.Combine(model, "config_sentence_transformers.json"), $$"""{"prompts": {"query": "{{QueryPrompt}}"}, "default_prompt_name": null}""");
        var (code, _, error) = _cli.Run("models", "install", model, "--name", "asym");
        Assert.True(code == 0, error);
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void A_prompt_the_model_names_keeps_the_space_and_other_text_makes_its_own()
    {
        var plain = Embed("the whale swims");
        var named = Embed("the whale swims", "--prompt", "query");
        var same = Embed("the whale swims", "--prompt-text", QueryPrompt);
        var own = Embed("the whale swims", "--prompt-text", "frog ");

        Assert.Equal(plain.GetProperty("revision").GetString(), named.GetProperty("revision").GetString());
        Assert.Equal(plain.GetProperty("revision").GetString(), same.GetProperty("revision").GetString());
        Assert.NotEqual(plain.GetProperty("revision").GetString(), own.GetProperty("revision").GetString());
        Assert.Equal(QueryPrompt, named.GetProperty("prompt").GetString());
        Assert.Equal(Vector(named), Vector(same));
        Assert.NotEqual(Vector(named), Vector(own));
        Assert.NotEqual(Vector(plain), Vector(named));
        Assert.Equal(3 + 2, plain.GetProperty("embeddings")[0].GetProperty("tokens").GetInt32());
        Assert.Equal(3 + 2 + 2, named.GetProperty("embeddings")[0].GetProperty("tokens").GetInt32());
    }

    [Fact]
    public void Models_inspect_shows_the_prompts_and_which_role_each_serves()
    {
        var (code, output, error) = _cli.Run("models", "inspect", "asym", "--json");
        Assert.True(code == 0, error);
        var transformer = Json(output).GetProperty("transformer");
        Assert.Equal(QueryPrompt, transformer.GetProperty("query_prompt").GetString());
        Assert.Equal(JsonValueKind.Null, transformer.GetProperty("document_prompt").ValueKind);
        Assert.Equal(QueryPrompt, transformer.GetProperty("prompts").GetProperty("query").GetString());
        Assert.Equal(32, transformer.GetProperty("max_tokens").GetInt32());

        (code, _, error) = _cli.Run("models", "inspect", "missing");
        Assert.Equal(1, code);
        Assert.Contains("missing", error);
    }

    [Fact]
    public void An_unknown_prompt_name_is_refused_with_the_models_prompts()
    {
        var (code, output, error) = _cli.Run("embed", "the whale swims", "--model", "asym", "--prompt", "passage");
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("no prompt named 'passage'", error);
        Assert.Contains($"query (\"{QueryPrompt}\")", error);
        Assert.Contains("--prompt-text", error);
    }

    [Fact]
    public void Search_embeds_the_query_with_the_query_prompt_recorded_by_the_collection()
    {
        var docs = Path.Combine(_cli.Root, "docs");
        Directory.CreateDirectory(docs);
        const string Pond = "a frog jumps in the pond.";
        File.WriteAllText(Path.Combine(docs, "pond.txt"), Pond);
        File.WriteAllText(Path.Combine(docs, "sea.txt"), "the whale swims in the sea.");
        var (code, output, error) = _cli.Run("index", docs, "--collection", "notes", "--model", "asym");
        Assert.True(code == 0, error);

        (code, output, error) = _cli.Run("inspect", "notes", "--json");
        Assert.True(code == 0, error);
        var recorded = Json(output).GetProperty("collection");
        Assert.Equal(QueryPrompt, recorded.GetProperty("query_prompt").GetString());
        Assert.Equal(JsonValueKind.Null, recorded.GetProperty("document_prompt").ValueKind);

        (code, output, error) = _cli.Run("search", "the whale swims", "--collection", "notes", "--mode", "dense", "-k", "2", "--json");
        Assert.True(code == 0, error);
        var pond = Json(output).GetProperty("hits").EnumerateArray().Single(h => h.GetProperty("payload").GetProperty("path").GetString() == "pond.txt");

        // The document was embedded without a prompt, the query with the query prompt.
        var document = Vector(Embed(Pond));
        var prompted = Cosine(Vector(Embed("the whale swims", "--prompt", "query")), document);
        var unprompted = Cosine(Vector(Embed("the whale swims")), document);
        Assert.True(Math.Abs(prompted - unprompted) > 1e-3, "the prompt should change the query vector");
        Assert.Equal(prompted, pond.GetProperty("score").GetDouble(), 5);
    }

    private JsonElement Embed(string text, params string[] options)
    {
        var (code, output, error) = _cli.Run(["embed", text, "--model", "asym", .. options]);
        Assert.True(code == 0, error);
        return Json(output);
    }

    private static double[] Vector(JsonElement embed) =>
        [.. embed.GetProperty("embeddings")[0].GetProperty("vector").EnumerateArray().Select(x => x.GetDouble())];

    private static double Cosine(double[] a, double[] b) =>
        a.Zip(b, (x, y) => x * y).Sum() / Math.Sqrt(a.Sum(x => x * x) * b.Sum(x => x * x));
}
