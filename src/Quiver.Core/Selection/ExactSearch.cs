using System.Numerics.Tensors;
using Quiver.Core.Distances;

namespace Quiver.Core.Selection;

/// <summary>
/// Exact k-nearest search over vectors stored row by row in one contiguous span. Rows are trusted (checked when
/// they were stored); the query is checked here.
/// </summary>
public static class ExactSearch
{
    /// <summary>
    /// The <paramref name="k"/> rows closest to <paramref name="query"/>, best first. Scores are similarities for
    /// cosine and dot and distances for Euclidean. For cosine, rows must already be unit length.
    /// </summary>
    /// <param name="include">Optional row filter; rows it rejects are never scored.</param>
    public static ScoredIndex[] Search(
        ReadOnlySpan<float> rows,
        int dimensions,
        ReadOnlySpan<float> query,
        int k,
        DistanceMetric metric,
        Func<int, bool>? include = null)
    {
        if (dimensions <= 0 || rows.Length % dimensions != 0)
        {
            throw new ArgumentException(
                $"The row buffer holds {rows.Length} floats, which is not a whole number of {dimensions}-dimensional rows.",
                nameof(rows));
        }

        if (query.Length != dimensions)
        {
            throw new InvalidVectorException(
                $"The query has {query.Length} dimensions but the vectors have {dimensions}. Embed the query with the same model.");
        }

        VectorMath.CheckFinite(query, "query");
        Span<float> q = query.Length <= 4096 ? stackalloc float[query.Length] : new float[query.Length];
        if (metric == DistanceMetric.Cosine)
        {
            VectorMath.Normalize(query, q);
        }
        else
        {
            query.CopyTo(q);
        }

        var count = rows.Length / dimensions;
        var top = new TopK(k);
        for (var i = 0; i < count; i++)
        {
            if (include is not null && !include(i))
            {
                continue;
            }

            var row = rows.Slice(i * dimensions, dimensions);
            var key = metric == DistanceMetric.Euclidean
                ? -TensorPrimitives.Distance(q, row)
                : TensorPrimitives.Dot(q, row);
            top.Offer(i, key);
        }

        var hits = top.Drain();
        if (metric == DistanceMetric.Euclidean)
        {
            for (var i = 0; i < hits.Length; i++)
            {
                hits[i] = hits[i] with { Score = 0f - hits[i].Score };
            }
        }

        return hits;
    }
}
