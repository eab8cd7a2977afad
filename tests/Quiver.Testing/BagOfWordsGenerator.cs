using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;

namespace Quiver.Testing;

/// <summary>
/// A deterministic test encoder: each word adds a fixed pseudo-random direction. Texts made only of "zzz" have no
/// known words and fail, as a real encoder does.
/// </summary>
public sealed class BagOfWordsGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public static readonly EmbeddingSpace Space = new(new ModelReference("bag", "mean", "r1"), 16, DistanceMetric.Cosine, true);

    public int Calls { get; private set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var text in values)
        {
            result.Add(new Embedding<float>(Embed(text)));
        }

        return Task.FromResult(result);
    }

    public static float[] Embed(string text)
    {
        var words = text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Where(w => w != "zzz").ToList();
        if (words.Count == 0)
        {
            throw new QuiverException($"no known words in '{text}'");
        }

        var v = new float[Space.Dimensions];
        foreach (var word in words)
        {
            var random = new Random(word.Aggregate(17, (h, c) => (h * 31) + c));
            for (var i = 0; i < v.Length; i++)
            {
                v[i] += (float)(random.NextDouble() - 0.5);
            }
        }

        VectorMath.Normalize(v);
        return v;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingSpace) ? Space : null;

    public void Dispose()
    {
    }
}
