using Microsoft.Extensions.AI;

namespace Quiver.Models.Caching;

/// <summary>What the cache keeps of one embedding: its own copy of the vector and of the properties beside it.</summary>
internal sealed record CachedEmbedding(float[] Vector, string? ModelId, DateTimeOffset? CreatedAt, AdditionalPropertiesDictionary? Properties)
{
    public const string CachedProperty = "cached";

    /// <summary>A copy, so that what the inner generator or a caller later does to its embedding never reaches the cache.</summary>
    public static CachedEmbedding From(Embedding<float> embedding) => new(
        embedding.Vector.ToArray(),
        embedding.ModelId,
        embedding.CreatedAt,
        embedding.AdditionalProperties is { Count: > 0 } properties ? new AdditionalPropertiesDictionary(properties) : null);

    /// <summary>A fresh embedding per hit: callers may change its properties without touching each other's.</summary>
    public Embedding<float> ToEmbedding()
    {
        var properties = Properties is null ? [] : new AdditionalPropertiesDictionary(Properties);
        properties[CachedProperty] = true;
        return new Embedding<float>(Vector)
        {
            ModelId = ModelId,
            CreatedAt = CreatedAt,
            AdditionalProperties = properties,
        };
    }
}
