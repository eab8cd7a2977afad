using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Models.Internal;

namespace Quiver.Models.Static;

/// <summary>
/// Sentence embeddings from word vectors as an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>. Each
/// embedding's AdditionalProperties carry "words" and "unknown_words" counts; a text with no known word fails the
/// call with <see cref="NoKnownWordsException"/>.
/// </summary>
public sealed class StaticEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata;

    public StaticEmbeddingGenerator(StaticEmbedder embedder, EmbeddingSpace space)
    {
        Embedder = embedder;
        Space = space;
        _metadata = new EmbeddingGeneratorMetadata("quiver", null, space.ModelId, space.Dimensions);
    }

    public StaticEmbedder Embedder { get; }

    public EmbeddingSpace Space { get; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is { } dimensions && dimensions != Space.Dimensions)
        {
            throw new QuiverException(
                $"{Space.ModelId} produces {Space.Dimensions}-dimensional vectors and cannot give {dimensions}. Leave Dimensions unset.");
        }

        var result = new GeneratedEmbeddings<Embedding<float>>();
        long words = 0;
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var embedding = Embedder.Embed(value);
            words += embedding.WordCount;
            result.Add(new Embedding<float>(embedding.Vector)
            {
                ModelId = Space.ModelId,
                CreatedAt = DateTimeOffset.UtcNow,
                AdditionalProperties = new AdditionalPropertiesDictionary
                {
                    ["words"] = embedding.WordCount,
                    ["unknown_words"] = embedding.UnknownCount,
                },
            });
        }

        result.Usage = new UsageDetails { InputTokenCount = words, TotalTokenCount = words };
        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        GeneratorServices.Get(this, serviceType, serviceKey, _metadata, Space);

    public void Dispose()
    {
        // Holds no unmanaged resources; the word vectors belong to the model.
    }
}
