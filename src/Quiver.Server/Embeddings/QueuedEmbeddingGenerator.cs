using System.Runtime.InteropServices;
using Microsoft.Extensions.AI;
using Quiver.Core.Spaces;
using Quiver.Models;

namespace Quiver.Server.Embeddings;

/// <summary>
/// A served model's queue seen as a generator: the inner generator of the model's one embedding cache
/// (<see cref="Quiver.Models.Caching.CachingEmbeddingGenerator"/>), so that what the cache misses joins the model's
/// <see cref="EmbeddingQueue"/> like any other input, with the costs and truncation its call carries
/// (<see cref="QueuedEmbeddingOptions"/>). Each embedding keeps its token counts as properties, which the cache
/// keeps beside the vector. It adapts no encoder (that stays TextEmbeddingGenerator's job, in Models): it is the
/// queue under the cache, taking the costs counted before the cache was asked so that no text is tokenised twice.
/// </summary>
internal sealed class QueuedEmbeddingGenerator(EmbeddingBatcher batcher, ServedModel model) : IEmbeddingGenerator<string, Embedding<float>>
{
    // The names TextEmbeddingGenerator gives the same counts, and the flag the cache puts on its hits.
    private const string TokensProperty = "tokens";
    private const string TruncatedProperty = "truncated_tokens";
    private const string CachedProperty = "cached";

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = options as QueuedEmbeddingOptions ?? throw new InvalidOperationException(
            $"The server's embedding queue runs calls of the batcher only; it was given {options?.GetType().Name ?? "no options"}.");
        var texts = values as IReadOnlyList<string> ?? [.. values];
        var inputs = new EmbeddingInput[texts.Count];
        var costs = new int[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            inputs[i] = new EmbeddingInput(texts[i], null);
            costs[i] = call.Costs.TryGetValue(texts[i], out var cost) ? cost : model.Cost(inputs[i], call.Truncation);
        }

        var results = await batcher.Enqueue(model, inputs, costs, call.Truncation, cancellationToken);
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(results.Count);
        var tokens = 0L;
        foreach (var result in results)
        {
            tokens += result.Tokens;
            embeddings.Add(new Embedding<float>(result.Vector)
            {
                ModelId = model.Space.ModelId,
                AdditionalProperties = new() { [TokensProperty] = result.Tokens, [TruncatedProperty] = result.TruncatedTokens },
            });
        }

        embeddings.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        return embeddings;
    }

    /// <summary>
    /// The result of one embedding the cache gave back: a hit is a copy (the cache keeps its own array); a miss is
    /// the queue's own vector.
    /// </summary>
    public static EmbeddingResult Result(Embedding<float> embedding)
    {
        var properties = embedding.AdditionalProperties;
        var cached = properties is not null && properties.TryGetValue(CachedProperty, out var flag) && flag is true;
        var vector = !cached && MemoryMarshal.TryGetArray(embedding.Vector, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : embedding.Vector.ToArray();
        return new EmbeddingResult(vector, Count(properties, TokensProperty), Count(properties, TruncatedProperty), cached);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingSpace) ? model.Space
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        // The queue belongs to the batcher and the model to the server's ServedModels.
    }

    private static int Count(AdditionalPropertiesDictionary? properties, string name) =>
        properties is not null && properties.TryGetValue(name, out var value) && value is not null
            ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
}
