using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Models.Static;

namespace Quiver.Models.Tests;

public sealed class StaticTextEncoderTests
{
    private static readonly WordVectors Vocabulary = new(
        ["the", "cat", "sat", "dog", "ran"],
        TestVectors.Random(5, 4, seed: 51).Table.ToArray(),
        4);

    private static readonly EmbeddingSpace Space = new(new ModelReference("tiny", "mean", "0123456789abcdef"), 4, DistanceMetric.Cosine, Normalized: true);

    private readonly StaticEmbedder _embedder = new(Vocabulary, StaticPooling.Mean);

    [Fact]
    public void Is_a_microsoft_extensions_ai_embedding_generator()
    {
        using var generator = new TextEmbeddingGenerator(new StaticTextEncoder(_embedder, Space));
        Assert.IsAssignableFrom<IEmbeddingGenerator<string, Embedding<float>>>(generator);
    }

    [Fact]
    public async Task Generates_one_embedding_per_input_in_order()
    {
        IEmbeddingGenerator<string, Embedding<float>> generator = new TextEmbeddingGenerator(new StaticTextEncoder(_embedder, Space));
        string[] inputs = ["the cat sat", "dog", "the dog ran", "cat"];
        var result = await generator.GenerateAsync(inputs);

        Assert.Equal(inputs.Length, result.Count);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(_embedder.Embed(inputs[i]).Vector, result[i].Vector.ToArray());
            Assert.Equal("tiny/mean", result[i].ModelId);
            Assert.NotNull(result[i].CreatedAt);
        }
    }

    [Fact]
    public async Task Each_embedding_carries_word_and_unknown_word_counts()
    {
        using var generator = new TextEmbeddingGenerator(new StaticTextEncoder(_embedder, Space));
        var result = await generator.GenerateAsync(["the cat sat", "the zebra and the cat!"]);

        Assert.Equal(3, result[0].AdditionalProperties!["words"]);
        Assert.Equal(0, result[0].AdditionalProperties!["unknown_words"]);
        Assert.Equal(5, result[1].AdditionalProperties!["words"]);
        Assert.Equal(2, result[1].AdditionalProperties!["unknown_words"]);
    }

    [Fact]
    public async Task Usage_counts_the_words_of_all_inputs()
    {
        using var generator = new TextEmbeddingGenerator(new StaticTextEncoder(_embedder, Space));
        var result = await generator.GenerateAsync(["the cat sat", "the zebra and the cat!", "dog"]);
        Assert.NotNull(result.Usage);
        Assert.Equal(9, result.Usage.InputTokenCount);
        Assert.Equal(9, result.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Empty_input_gives_no_embeddings()
    {
        using var generator = new TextEmbeddingGenerator(new StaticTextEncoder(_embedder, Space));
        var result = await generator.GenerateAsync([]);
        Assert.Empty(result);
        Assert.Equal(0, result.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task Generate_vector_extension_gives_the_embedder_output()
    {
        using var generator = new TextEmbeddingGenerator(new StaticTextEncoder(_embedder, Space));
        var vector = await generator.GenerateVectorAsync("the cat");
        Assert.Equal(_embedder.Embed("the cat").Vector, vector.ToArray());
    }

    [Fact]
    public async Task Input_with_no_known_word_fails_the_call()
    {
        using var generator = new TextEmbeddingGenerator(new StaticTextEncoder(_embedder, Space));
        var e = await Assert.ThrowsAsync<NoKnownWordsException>(() => generator.GenerateAsync(["the cat", "zebra"]));
        Assert.Equal(["zebra"], e.Unknown);
    }

    [Fact]
    public void Metadata_names_the_model_and_its_dimensions()
    {
        using var generator = new TextEmbeddingGenerator(new StaticTextEncoder(_embedder, Space));
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal("quiver", metadata.ProviderName);
        Assert.Equal("tiny/mean", metadata.DefaultModelId);
        Assert.Equal(4, metadata.DefaultModelDimensions);
    }

    [Fact]
    public void GetService_returns_the_embedding_space_the_generator_itself_and_its_encoder()
    {
        var encoder = new StaticTextEncoder(_embedder, Space);
        using var generator = new TextEmbeddingGenerator(encoder);
        Assert.Same(Space, generator.GetService<EmbeddingSpace>());
        Assert.Same(generator, generator.GetService<TextEmbeddingGenerator>());
        Assert.Same(encoder, generator.GetService<ITextEncoder>());
        Assert.Same(generator, generator.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Null(generator.GetService<string>());
        Assert.Null(generator.GetService(typeof(EmbeddingSpace), serviceKey: "other"));
        Assert.Throws<ArgumentNullException>(() => generator.GetService(null!));
    }

    [Fact]
    public async Task Requested_dimensions_other_than_the_models_are_refused()
    {
        using var generator = new TextEmbeddingGenerator(new StaticTextEncoder(_embedder, Space));
        var e = await Assert.ThrowsAsync<QuiverException>(() => generator.GenerateAsync(["cat"], new EmbeddingGenerationOptions { Dimensions = 2 }));
        Assert.Contains("tiny/mean", e.Message, StringComparison.Ordinal);
        Assert.Contains("4-dimensional", e.Message, StringComparison.Ordinal);

        var same = await generator.GenerateAsync(["cat"], new EmbeddingGenerationOptions { Dimensions = 4 });
        Assert.Single(same);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var generator = new TextEmbeddingGenerator(new StaticTextEncoder(_embedder, Space));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(["cat", "dog"], cancellationToken: cancellation.Token));
    }

    [Fact]
    public async Task Cancellation_during_a_batch_stops_it()
    {
        using var generator = new TextEmbeddingGenerator(new StaticTextEncoder(_embedder, Space));
        using var cancellation = new CancellationTokenSource();
        var produced = 0;

        IEnumerable<string> Inputs()
        {
            yield return "cat";
            produced++;
            cancellation.Cancel();
            yield return "dog";
            produced++;
            yield return "the cat";
            produced++;
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(Inputs(), cancellationToken: cancellation.Token));
        Assert.Equal(1, produced);
    }

    [Fact]
    public async Task Null_input_is_refused()
    {
        using var generator = new TextEmbeddingGenerator(new StaticTextEncoder(_embedder, Space));
        await Assert.ThrowsAsync<ArgumentNullException>(() => generator.GenerateAsync(null!));
    }
}
