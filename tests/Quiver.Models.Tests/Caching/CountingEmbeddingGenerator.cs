using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Quiver.Core.Spaces;

namespace Quiver.Models.Tests.Caching;

/// <summary>
/// A fake model for cache tests: records every request, and gives each input a vector that depends on the text, the
/// space's revision, the requested dimensions and the "variant" option, so a wrong cache answer shows.
/// </summary>
internal sealed class CountingEmbeddingGenerator(EmbeddingSpace space) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly ConcurrentQueue<string[]> _requests = new();

    public EmbeddingSpace Space { get; } = space;

    public IReadOnlyList<string[]> Requests => [.. _requests];

    public int Calls => _requests.Count;

    public bool Disposed { get; private set; }

    /// <summary>Runs inside each call, after the request is recorded, with the call's token.</summary>
    public Func<CancellationToken, Task>? During { get; set; }

    /// <summary>Overrides the length of the vectors returned, to play a generator that disagrees with its space.</summary>
    public int? ReturnedDimensions { get; set; }

    public static float[] VectorOf(string input, EmbeddingSpace space, int? dimensions = null, string? variant = null)
    {
        // FNV-1a over the UTF-16 code units: stable across processes, and distinct for lone surrogates.
        var hash = 2166136261u;
        foreach (var c in $"{space.ModelId}|{space.Revision}|{variant}|{input}")
        {
            hash = (hash ^ c) * 16777619u;
        }

        var random = new Random((int)hash);
        var vector = new float[dimensions ?? space.Dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return vector;
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values.ToArray();
        _requests.Enqueue(inputs);
        if (During is { } during)
        {
            await during(cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var variant = options?.AdditionalProperties?.TryGetValue("variant", out var v) == true ? v as string : null;
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Length);
        foreach (var input in inputs)
        {
            result.Add(new Embedding<float>(VectorOf(input, Space, ReturnedDimensions ?? options?.Dimensions, variant))
            {
                ModelId = Space.ModelId,
                CreatedAt = DateTimeOffset.UtcNow,
                AdditionalProperties = new AdditionalPropertiesDictionary
                {
                    ["tokens"] = input.Length,
                    ["truncated"] = false,
                    ["note"] = "fake",
                    ["ratio"] = 0.1,
                },
            });
        }

        long tokens = inputs.Sum(i => i.Length);
        result.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingSpace))
        {
            return Space;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose() => Disposed = true;
}
