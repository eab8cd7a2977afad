using Quiver.Catalogue;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Models.Onnx;
using Quiver.Models.Static;
using Quiver.Models.Tokenization;

namespace Quiver.Models.Tests.Encoders;

public sealed class TextEncoderContractTests
{
    private static readonly EmbeddingSpace Space = new(new ModelReference("tiny", "mean", "0123456789abcdef"), 4, DistanceMetric.Cosine, Normalized: true);

    private static readonly WordVectors Vocabulary = new(
        ["the", "cat", "sat", "dog", "ran"],
        TestVectors.Random(5, 4, seed: 51).Table.ToArray(),
        4);

    [Fact]
    public void Matryoshka_keeps_the_leading_dimensions_renormalised_and_leaves_a_full_vector_alone()
    {
        float[] vector = [3, 4, 12];
        Assert.Equal([0.6f, 0.8f], Matryoshka.Shorten(vector, 2, normalize: true));
        Assert.Equal([3f, 4f], Matryoshka.Shorten(vector, 2, normalize: false));
        Assert.Same(vector, Matryoshka.Shorten(vector, 3, normalize: true));
        Assert.Equal([3f, 4f, 12f], vector);
    }

    [Fact]
    public void A_requested_size_is_checked_against_the_space()
    {
        Assert.Equal(2, Matryoshka.Requested(Space, new TextEncodeOptions { Dimensions = 2 }, shortens: true));
        Assert.Equal(4, Matryoshka.Requested(Space, null, shortens: false));
        Assert.Contains("from 1 to 4", Assert.Throws<QuiverException>(() => Matryoshka.Requested(Space, new TextEncodeOptions { Dimensions = 5 }, shortens: true)).Message, StringComparison.Ordinal);
        Assert.Contains("cannot give 2", Assert.Throws<QuiverException>(() => Matryoshka.Requested(Space, new TextEncodeOptions { Dimensions = 2 }, shortens: false)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Word_vectors_report_words_and_unknown_words_as_typed_results()
    {
        using ITextEncoder encoder = new StaticTextEncoder(new StaticEmbedder(Vocabulary, StaticPooling.Mean), Space);

        var encoded = Assert.Single(await encoder.EncodeAsync(["the zebra and the cat!"]));

        Assert.Equal(TextUnit.Words, encoder.Unit);
        Assert.Equal(5, encoded.Tokens);
        Assert.Equal(["zebra", "and"], encoded.UnknownWords);
        Assert.Equal((0, 1), (encoded.TruncatedTokens, encoded.Chunks));
        Assert.False(encoder.AcceptsTokenIds);
        Assert.Equal(1, encoder.Cost("the cat", TruncationPolicy.Truncate));
        var refused = await Assert.ThrowsAsync<NotSupportedException>(async () => await encoder.EncodeTokenIdsAsync([[1, 2]]));
        Assert.Contains("tiny/mean reads text", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_without_a_token_limit_answers_the_contract_defaults_and_chunks_by_words()
    {
        using ITextEncoder encoder = new StaticTextEncoder(new StaticEmbedder(Vocabulary, StaticPooling.Mean), Space);

        Assert.Null(encoder.MaxTokens);
        Assert.Null(encoder.Prompt);
        Assert.Empty(encoder.Prompts);
        Assert.False(encoder.CostsTokens);
        Assert.Equal(1, encoder.Cost([1, 2, 3], TruncationPolicy.Chunk));
        Assert.Null(encoder.TokenCounter);

        var counter = EncoderTokenCounter.For(encoder, wordsWithoutLimit: 7);
        Assert.Equal(7, counter.MaxTokens);
        Assert.Equal(4, counter.Count("the cat sat down"));

        using var generator = new TextEmbeddingGenerator(encoder, ownsEncoder: false);
        Assert.Equal(7, EncoderTokenCounter.For(generator, wordsWithoutLimit: 7).MaxTokens);
    }

    [Fact]
    public void Kinds_are_found_by_their_manifest_name_and_an_unknown_kind_is_refused_by_name()
    {
        Assert.Same(ModelKinds.Transformer, ModelKinds.Find(TransformerModel.Kind));
        Assert.Same(ModelKinds.Doc2Vec, ModelKinds.Find(Doc2VecFolder.Kind));
        Assert.Null(ModelKinds.Find("sparse"));
        Assert.All(ModelKinds.All, k => Assert.NotEqual(k.OpensAsText, k.OpensAsImage));

        var manifest = new ModelManifest { Name = "odd", Kind = "sparse", Dimensions = 4, Revision = "r", Source = "test" };
        var error = Assert.Throws<QuiverException>(() => ModelKinds.Of(manifest));
        Assert.Contains("'sparse'", error.Message, StringComparison.Ordinal);
        Assert.Contains("transformer", error.Message, StringComparison.Ordinal);
    }
}
