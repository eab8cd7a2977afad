using System.Text.Json.Nodes;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Catalogue.Synthetic;
using Quiver.Models.Tokenization;

namespace Quiver.Server.Tests;

/// <summary>
/// A model with a query prompt: text points are embedded as documents (no prompt), text queries and the context
/// route with the query prompt, exactly as the same model in process; /v1/embeddings takes TEI's prompt_name.
/// </summary>
public sealed class PromptsApiTests : IAsyncLifetime
{
    private const string QueryPrompt = "frog jumps ";

    private ServerFixture _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture();
        var vocabulary = new WordPieceVocabulary(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. ServerFixture.Words]);
        var folder = Path.Combine(_server.Root, "asym-bert");
        SyntheticBert.WriteFolder(folder, new SyntheticBertOptions { VocabSize = vocabulary.Count, InitStd = 0.2, Seed = 9 }, vocabulary, maxLength: 32);
        File.WriteAllText(Path.Combine(folder, "config_sentence_transformers.json"), $$"""{"prompts": {"query": "{{QueryPrompt}}"} }""");
        new ModelInstaller(_server.Paths).InstallFolder("asym", folder, force: false, progress: null);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<float[]> InProcess(string text, TextRole role)
    {
        using var generator = InstalledModels.OpenTextGenerator(_server.Paths, "asym", role: role);
        return (await generator.GenerateAsync([text]))[0].Vector.ToArray();
    }

    [Fact]
    public async Task Text_points_are_documents_and_text_queries_get_the_query_prompt()
    {
        await _server.Ok(_server.Put("/collections/notes", new { model = "asym" }));
        await _server.Ok(_server.Put("/collections/notes/points?wait=true", new
        {
            points = new object[]
            {
                new { id = 1, text = "a frog jumps in the pond.", payload = new { n = 1 } },
                new { id = 2, text = "the whale swims in the sea.", payload = new { n = 2 } },
            },
        }));

        var stored = await _server.Ok(_server.Post("/collections/notes/points", new { ids = new[] { 1 }, with_vector = true }));
        var document = await InProcess("a frog jumps in the pond.", TextRole.Document);
        Assert.Equal(document, Floats(stored["result"]![0]!["vector"]!), new Tolerance(1e-6f));

        var query = await InProcess("the whale swims", TextRole.Query);
        var plain = await InProcess("the whale swims", TextRole.Document);
        Assert.True(Math.Abs(Cosine(query, document) - Cosine(plain, document)) > 1e-3, "the prompt should change the query vector");

        var hits = (await _server.Ok(_server.Post("/collections/notes/points/query", new { query = new { text = "the whale swims" }, limit = 2 })))["result"]!["points"]!.AsArray();
        var frog = hits.Single(h => h!["id"]!.GetValue<int>() == 1)!;
        Assert.Equal(Cosine(query, document), frog["score"]!.GetValue<double>(), 5);

        var context = await _server.Ok(_server.Post("/collections/notes/context", new { question = "the whale swims", mode = "dense", candidates = 2 }));
        var passage = context["result"]!["passages"]!.AsArray().Single(p => p!["text"]!.GetValue<string>().StartsWith("a frog", StringComparison.Ordinal))!;
        Assert.Equal(Cosine(query, document), passage["score"]!.GetValue<double>(), 5);
    }

    [Fact]
    public async Task Embeddings_take_a_prompt_name_and_refuse_an_unknown_one_listing_the_prompts()
    {
        var body = await _server.Ok(_server.Post("/v1/embeddings", new { input = "the whale swims", model = "asym", prompt_name = "query" }));
        Assert.Equal(await InProcess("the whale swims", TextRole.Query), Floats(body["data"]![0]!["embedding"]!), new Tolerance(1e-6f));
        Assert.Equal(3 + 2 + 2, body["usage"]!["prompt_tokens"]!.GetValue<int>());

        var (status, error) = await _server.Post("/v1/embeddings", new { input = "the whale swims", model = "asym", prompt_name = "passage" });
        Assert.Equal(400, status);
        var message = error!["error"]!["message"]!.GetValue<string>();
        Assert.Equal("prompt_name", error["error"]!["param"]!.GetValue<string>());
        Assert.Contains("no prompt named 'passage'", message, StringComparison.Ordinal);
        Assert.Contains("query", message, StringComparison.Ordinal);
    }

    private static float[] Floats(JsonNode node) => [.. node.AsArray().Select(v => v!.GetValue<float>())];

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    private sealed class Tolerance(float epsilon) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(float obj) => 0;
    }
}
