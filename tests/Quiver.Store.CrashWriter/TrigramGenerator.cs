using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;

/// <summary>
/// A deterministic test encoder of its own space: each character trigram of the text adds a fixed pseudo-random
/// direction (the same formula as the tests' TrigramGenerator, which checks the vectors this process wrote).
/// </summary>
internal sealed class TrigramGenerator(TimeSpan delay) : IEmbeddingGenerator<string, Embedding<float>>
{
    public static readonly EmbeddingSpace Space = new(new ModelReference("trigram", "mean", "t1"), 24, DistanceMetric.Cosine, true);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        await Task.Delay(delay, cancellationToken);
        return [.. values.Select(v => new Embedding<float>(Embed(v)))];
    }

    private static float[] Embed(string text)
    {
        var padded = $"  {text.ToLowerInvariant()}  ";
        var v = new float[Space.Dimensions];
        for (var i = 0; i + 3 <= padded.Length; i++)
        {
            var random = new Random(padded.Substring(i, 3).Aggregate(23, (h, c) => (h * 37) + c));
            for (var d = 0; d < v.Length; d++)
            {
                v[d] += (float)(random.NextDouble() - 0.5);
            }
        }

        VectorMath.Normalize(v);
        return v;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType == typeof(EmbeddingSpace) ? Space : null;

    public void Dispose()
    {
    }
}
