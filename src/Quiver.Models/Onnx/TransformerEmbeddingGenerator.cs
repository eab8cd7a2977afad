using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Models.Internal;

namespace Quiver.Models.Onnx;

/// <summary>
/// A transformer encoder as an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>. Each embedding's
/// AdditionalProperties carry "tokens", "truncated_tokens" and "chunks"; usage counts the tokens the model read.
/// <see cref="EmbeddingGenerationOptions.Dimensions"/> below the model's size truncates (Matryoshka) and renormalises.
/// </summary>
public sealed class TransformerEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly bool _ownsEncoder;

    public TransformerEmbeddingGenerator(TransformerEncoder encoder, EmbeddingSpace space, bool ownsEncoder = true)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(space);
        if (space.Dimensions != encoder.Dimensions)
        {
            throw new ArgumentException($"The space {space} has {space.Dimensions} dimensions but the encoder returns {encoder.Dimensions}.", nameof(space));
        }

        Encoder = encoder;
        Space = space;
        _ownsEncoder = ownsEncoder;
        _metadata = new EmbeddingGeneratorMetadata("quiver", null, space.ModelId, space.Dimensions);
    }

    public TransformerEncoder Encoder { get; }

    public EmbeddingSpace Space { get; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var dimensions = options?.Dimensions ?? Space.Dimensions;
        if (dimensions < 1 || dimensions > Space.Dimensions)
        {
            throw new QuiverException(
                $"{Space.ModelId} gives {Space.Dimensions}-dimensional vectors; Dimensions {dimensions} must be from 1 to {Space.Dimensions}.");
        }

        var texts = values as IReadOnlyList<string> ?? values.ToList();

        // Inference is synchronous CPU work; run it off the caller's thread so async callers are not blocked.
        return Task.Run(
            () =>
            {
                var embeddings = Encoder.Embed(texts, TruncationOverride(options), cancellationToken);
                var result = new GeneratedEmbeddings<Embedding<float>>(embeddings.Count);
                long tokens = 0;
                foreach (var e in embeddings)
                {
                    var vector = e.Vector;
                    if (dimensions < vector.Length)
                    {
                        vector = vector[..dimensions];
                        if (Encoder.Normalize)
                        {
                            Pooling.TokenPooling.Normalize(vector);
                        }
                    }

                    tokens += e.Tokens - e.TruncatedTokens;
                    result.Add(new Embedding<float>(vector)
                    {
                        ModelId = Space.ModelId,
                        CreatedAt = DateTimeOffset.UtcNow,
                        AdditionalProperties = new AdditionalPropertiesDictionary
                        {
                            ["tokens"] = e.Tokens,
                            ["truncated_tokens"] = e.TruncatedTokens,
                            ["chunks"] = e.Chunks,
                        },
                    });
                }

                result.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
                return result;
            },
            cancellationToken);
    }

    /// <summary>The option key (in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>) that sets the truncation policy of one call.</summary>
    public const string TruncationOption = "truncation";

    private static TruncationPolicy? TruncationOverride(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(TruncationOption, out var value) is not true || value is null ? null
        : value is TruncationPolicy policy ? policy
        : Enum.TryParse<TruncationPolicy>(value.ToString(), ignoreCase: true, out var parsed) ? parsed
        : throw new QuiverException($"'{value}' is not a truncation policy; use truncate, chunk or error.");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(TransformerEncoder) ? Encoder : GeneratorServices.Get(this, serviceType, serviceKey, _metadata, Space);

    public void Dispose()
    {
        if (_ownsEncoder)
        {
            Encoder.Dispose();
        }
    }
}
