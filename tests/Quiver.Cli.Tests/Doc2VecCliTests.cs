using System.Numerics.Tensors;
using Quiver.Catalogue;
using Quiver.Training.Documents;
using Quiver.Training.Words;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary>A Doc2Vec model is a text model like any other: embed, index and search open it by name.</summary>
public sealed class Doc2VecCliTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    [Fact]
    public async Task Embed_accepts_a_doc2vec_model_and_gives_its_inferred_unit_vectors()
    {
        Install("doc2vec-embed");

        var (code, output, error) = fixture.Run("embed", "the whale swims at sea", "bread and soup", "--model", "doc2vec-embed");

        Assert.True(code == 0, error);
        var json = Json(output);
        Assert.Equal("doc2vec-embed", json.GetProperty("model").GetString());
        Assert.Equal(8, json.GetProperty("dimensions").GetInt32());
        var embeddings = json.GetProperty("embeddings").EnumerateArray().ToList();
        Assert.Equal(5, embeddings[0].GetProperty("words").GetInt32());
        Assert.Equal(3, embeddings[1].GetProperty("words").GetInt32());
        using var encoder = InstalledModels.OpenTextEncoder(fixture.Paths, "doc2vec-embed");
        var expected = await encoder.EncodeAsync(["the whale swims at sea", "bread and soup"]);
        for (var i = 0; i < 2; i++)
        {
            var vector = embeddings[i].GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            Assert.Equal(expected[i].Vector, vector);
            Assert.Equal(1f, TensorPrimitives.Norm(vector), 4);
        }
    }

    [Fact]
    public void Index_and_search_accept_a_doc2vec_model()
    {
        Install("doc2vec-index");
        var docs = Path.Combine(fixture.Root, "d2v-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(docs);
        File.WriteAllText(Path.Combine(docs, "ocean.txt"), "The whale swims at sea. A ship of the sea.");
        File.WriteAllText(Path.Combine(docs, "kitchen.txt"), "Bread and soup in the kitchen.");

        var (code, output, error) = fixture.Run("index", docs, "--collection", "d2v", "--model", "doc2vec-index", "--json");
        Assert.True(code == 0, error);
        Assert.Equal(2, Json(output).GetProperty("files").GetInt32());

        (code, _, error) = fixture.Run("search", "whale at sea", "--collection", "d2v", "--json");
        Assert.True(code == 0, error);
    }

    [Fact]
    public void A_pooling_does_not_apply_to_a_doc2vec_model()
    {
        Install("doc2vec-pooling");

        var (code, _, error) = fixture.Run("embed", "the whale", "--model", "doc2vec-pooling", "--pooling", "mean");

        Assert.NotEqual(0, code);
        Assert.Contains("Doc2Vec", error, StringComparison.Ordinal);
        Assert.Contains("mean", error, StringComparison.Ordinal);
    }

    private void Install(string name)
    {
        string[] words = ["the", "whale", "swims", "at", "sea", "a", "ship", "of", "bread", "and", "soup", "in", "kitchen"];
        var random = new Random(17);
        var documents = Enumerable.Range(0, 80)
            .Select(_ => (IReadOnlyList<string>)[.. Enumerable.Range(0, 8).Select(_ => words[random.Next(words.Length)])])
            .ToList();
        var model = Doc2VecTrainer.Train(documents, new Doc2VecOptions
        {
            Mode = Doc2VecMode.DistributedBagOfWords,
            Word2Vec = new Word2VecOptions { Dimensions = 8, MinCount = 1, Epochs = 2, Threads = 1 },
        });
        Doc2VecFolder.Install(fixture.Paths, name, model, "test", force: true);
    }
}
