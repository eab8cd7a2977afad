using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;
using Quiver.Store.Search;

namespace Quiver.Store.Recommendation;

/// <summary>
/// Recommendation from positive and negative example vectors, with Qdrant's definitions (its
/// <c>reco_query.rs</c>): <see cref="RecommendStrategy.AverageVector"/> makes one query vector for an ordinary search;
/// <see cref="RecommendStrategy.BestScore"/> and <see cref="RecommendStrategy.SumScores"/> score every point against
/// every example, here by an exact scan of the collection's points (one read snapshot, memory of k hits).
/// Similarity is the collection's: cosine, dot, or the negative Euclidean distance.
/// </summary>
public static class Recommender
{
    /// <summary>avg(positives) when there are no negatives, else avg(positives) + (avg(positives) − avg(negatives)).</summary>
    public static float[] AverageQuery(IReadOnlyList<float[]> positive, IReadOnlyList<float[]> negative)
    {
        if (positive.Count == 0)
        {
            throw new Core.QuiverException("Positive vectors should not be empty with the average_vector strategy; give at least one positive example, or use best_score.");
        }

        var average = Average(positive);
        if (negative.Count == 0)
        {
            return average;
        }

        var against = Average(negative);
        for (var i = 0; i < average.Length; i++)
        {
            average[i] += average[i] - against[i];
        }

        return average;
    }

    /// <summary>
    /// The <paramref name="k"/> best points by <paramref name="strategy"/> (best first) among those matching
    /// <paramref name="filter"/>, leaving out <paramref name="excluded"/> ids (the examples themselves).
    /// </summary>
    public static IReadOnlyList<SearchHit> Scan(
        Collection collection, IReadOnlyList<float[]> positive, IReadOnlyList<float[]> negative, RecommendStrategy strategy, int k, PayloadFilter? filter, IReadOnlySet<string> excluded) =>
        Scan(collection, positive, negative, strategy, k, filter, excluded, withVectors: false);

    private static List<SearchHit> Scan(
        Collection collection, IReadOnlyList<float[]> positive, IReadOnlyList<float[]> negative, RecommendStrategy strategy, int k, PayloadFilter? filter, IReadOnlySet<string> excluded, bool withVectors)
    {
        if (k < 1)
        {
            throw new QuiverException($"The number of recommendations is {k}; it must be at least 1.");
        }

        if (strategy == RecommendStrategy.AverageVector)
        {
            throw new ArgumentException("average_vector is a search with AverageQuery's vector, not a scan.", nameof(strategy));
        }

        if (positive.Count + negative.Count == 0)
        {
            throw new Core.QuiverException("Give at least one positive or negative example to recommend from.");
        }

        var metric = collection.Space.Metric;
        var best = new PriorityQueue<SearchHit, float>(k + 1);
        foreach (var point in collection.ReadAll(filter))
        {
            if (excluded.Contains(point.Id))
            {
                continue;
            }

            var score = strategy == RecommendStrategy.BestScore
                ? BestScore(metric, point.Vector, positive, negative)
                : SumScores(metric, point.Vector, positive, negative);
            if (best.Count < k)
            {
                best.Enqueue(new SearchHit(point.Id, score, point.Payload, point.Text) { Vector = withVectors ? point.Vector : null }, score);
            }
            else if (best.TryPeek(out _, out var worst) && score > worst)
            {
                best.EnqueueDequeue(new SearchHit(point.Id, score, point.Payload, point.Text) { Vector = withVectors ? point.Vector : null }, score);
            }
        }

        var hits = new List<SearchHit>(best.Count);
        while (best.TryDequeue(out var hit, out _))
        {
            hits.Add(hit);
        }

        hits.Reverse();
        return hits;
    }

    /// <summary>
    /// Runs <paramref name="request"/> by <paramref name="strategy"/>'s scan instead of a vector search: its filter,
    /// excluded ids (the examples themselves), score threshold (scores here are similarities, higher is better, whatever
    /// the metric), offset and k, with stored vectors when it asks for them.
    /// </summary>
    public static IReadOnlyList<SearchHit> Scan(
        Collection collection, IReadOnlyList<float[]> positive, IReadOnlyList<float[]> negative, RecommendStrategy strategy, SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegative(request.Offset);
        var found = Scan(collection, positive, negative, strategy, request.K + request.Offset, request.Filter, request.Exclude ?? new HashSet<string>(), request.WithVectors);
        return [.. found.Where(h => request.ScoreThreshold is not { } t || h.Score >= t).Skip(request.Offset).Take(request.K)];
    }

    /// <summary>Qdrant's fast sigmoid scaled to (0, 1).</summary>
    public static float ScaledSigmoid(float x) => 0.5f * ((x / (1 + MathF.Abs(x))) + 1);

    private static float BestScore(DistanceMetric metric, float[] candidate, IReadOnlyList<float[]> positive, IReadOnlyList<float[]> negative)
    {
        var maxPositive = float.NegativeInfinity;
        foreach (var example in positive)
        {
            maxPositive = Math.Max(maxPositive, Similarity(metric, candidate, example));
        }

        var maxNegative = float.NegativeInfinity;
        foreach (var example in negative)
        {
            maxNegative = Math.Max(maxNegative, Similarity(metric, candidate, example));
        }

        return maxPositive > maxNegative ? ScaledSigmoid(maxPositive) : -ScaledSigmoid(maxNegative);
    }

    private static float SumScores(DistanceMetric metric, float[] candidate, IReadOnlyList<float[]> positive, IReadOnlyList<float[]> negative)
    {
        var sum = 0f;
        foreach (var example in positive)
        {
            sum += Similarity(metric, candidate, example);
        }

        foreach (var example in negative)
        {
            sum -= Similarity(metric, candidate, example);
        }

        return sum;
    }

    private static float Similarity(DistanceMetric metric, float[] a, float[] b) => metric switch
    {
        DistanceMetric.Cosine => VectorMath.Cosine(a, b),
        DistanceMetric.Dot => VectorMath.Dot(a, b),
        _ => -VectorMath.Euclidean(a, b),
    };

    private static float[] Average(IReadOnlyList<float[]> vectors)
    {
        var sum = new float[vectors[0].Length];
        foreach (var v in vectors)
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += v[i];
            }
        }

        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] /= vectors.Count;
        }

        return sum;
    }
}
