using System.Numerics.Tensors;
using Quiver.Core;

namespace Quiver.Analysis.Projection;

/// <summary>
/// Each point's k nearest other points by Euclidean distance, nearest first, found exactly. Rows are independent, so
/// they are computed in parallel and the result does not depend on the thread count (ties go to the lower index).
/// </summary>
internal sealed class NeighbourGraph
{
    private NeighbourGraph(int count, int k, int[] indices, float[] distances)
    {
        Count = count;
        K = k;
        Indices = indices;
        Distances = distances;
    }

    public int Count { get; }

    public int K { get; }

    /// <summary>Row i's neighbours at [i * K, (i + 1) * K).</summary>
    public int[] Indices { get; }

    /// <summary>Euclidean distances (not squared), aligned with <see cref="Indices"/>.</summary>
    public float[] Distances { get; }

    public static NeighbourGraph Exact(
        IReadOnlyList<float[]> vectors, int k, IProgress<ProjectionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var n = vectors.Count;
        if (k < 1 || k >= n)
        {
            throw new QuiverException($"The number of neighbours k is {k}; it must be from 1 to {n - 1} (the other points).");
        }

        var indices = new int[n * k];
        var distances = new float[n * k];
        var done = 0;
        const int Block = 64;
        var blocks = (n + Block - 1) / Block;
        Parallel.For(
            0,
            blocks,
            new ParallelOptions { CancellationToken = cancellationToken },
            () => (Keys: new float[k + 1], Ids: new int[k + 1]),
            (b, _, buffers) =>
            {
                for (var i = b * Block; i < Math.Min(n, (b + 1) * Block); i++)
                {
                    Row(vectors, i, k, buffers.Keys, buffers.Ids);
                    Array.Copy(buffers.Ids, 0, indices, i * k, k);
                    for (var j = 0; j < k; j++)
                    {
                        distances[(i * k) + j] = MathF.Sqrt(buffers.Keys[j]);
                    }
                }

                var finished = Interlocked.Increment(ref done);
                progress?.Report(new ProjectionProgress("neighbours", Math.Min(n, finished * Block), n));
                return buffers;
            },
            _ => { });
        return new NeighbourGraph(n, k, indices, distances);
    }

    // Keeps the k smallest squared distances in an insertion-sorted buffer: k is small (≤ 100), and most candidates
    // are rejected by one comparison with the current worst.
    private static void Row(IReadOnlyList<float[]> vectors, int i, int k, float[] keys, int[] ids)
    {
        var count = 0;
        var query = vectors[i];
        for (var j = 0; j < vectors.Count; j++)
        {
            if (j == i)
            {
                continue;
            }

            var d = TensorPrimitives.Distance<float>(query, vectors[j]);
            d *= d;
            if (count == k && d >= keys[k - 1])
            {
                continue;
            }

            var at = count < k ? count++ : k - 1;
            while (at > 0 && keys[at - 1] > d)
            {
                keys[at] = keys[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }

            keys[at] = d;
            ids[at] = j;
        }
    }
}
