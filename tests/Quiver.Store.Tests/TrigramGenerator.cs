using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;

namespace Quiver.Store.Tests;

/// <summary>
/// A deterministic test encoder in a space of its own (24-d, unlike <see cref="BagOfWordsGenerator"/>'s 16): each
/// character trigram adds a fixed pseudo-random direction. Same formula as the crash writer's copy. It counts the texts
/// it embeds and can be slowed down, so a test can run a reader and writers during a re-embedding.
/// </summary>
internal sealed class TrigramGenerator(string revision = "t1", TimeSpan delay = default) : IEmbeddingGenerator<string, Embedding<float>>
{
    private int _texts;

    public EmbeddingSpace Space { get; } = new(new ModelReference("trigram", "mean", revision), 24, DistanceMetric.Cosine, true);

    public int Texts => _texts;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken);
        }

        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            Interlocked.Increment(ref _texts);
            result.Add(new Embedding<float>(Embed(value)));
        }

        return result;
    }

    public static float[] Embed(string text)
    {
        var padded = $"  {text.ToLowerInvariant()}  ";
        var v = new float[24];
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
