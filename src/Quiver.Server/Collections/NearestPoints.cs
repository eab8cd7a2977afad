using Quiver.Core.Distances;
using Quiver.Server.Http;
using Quiver.Store.Collections;
using Quiver.Store.Recommendation;

namespace Quiver.Server.Collections;

/// <summary>The nearest points of a search, query or recommend, for REST and gRPC alike.</summary>
internal static class NearestPoints
{
    /// <summary>
    /// The hits (best first) after <paramref name="excluded"/> ids, the threshold and the offset, each with its vector
    /// when the query asks for vectors. A <paramref name="scan"/> strategy scores every point against the examples
    /// instead of searching with <paramref name="vector"/>.
    /// </summary>
    public static List<(SearchHit Hit, float[]? Vector)> Find(
        Collection collection,
        float[] vector,
        HitSelection query,
        IReadOnlySet<string>? excluded,
        RecommendStrategy? scan = null,
        IReadOnlyList<float[]>? positive = null,
        IReadOnlyList<float[]>? negative = null,
        string vectorPath = "vector")
    {
        if (scan is null && vector.Length != collection.Dimensions)
        {
            throw ApiException.BadRequest($"Wrong input: Vector dimension error: expected dim: {collection.Dimensions}, got {vector.Length}", vectorPath);
        }

        var k = query.Limit + query.Offset + (excluded?.Count ?? 0);
        var found = scan is { } strategy
            ? Recommender.Scan(collection, positive!, negative!, strategy, k, query.Filter, excluded ?? new HashSet<string>())
            : collection.Search(vector, k, query.Filter, ef: query.Ef is null ? null : Math.Max(query.Ef.Value, k), exact: query.Exact);

        // Recommendation scores are similarities (higher is better) whatever the metric; a search on Euclid scores distances.
        var lowerIsBetter = scan is null && collection.Space.Metric == DistanceMetric.Euclidean;
        var hits = found
            .Where(h => excluded is null || !excluded.Contains(h.Id))
            .Where(h => query.Threshold is not { } t || (lowerIsBetter ? h.Score <= t : h.Score >= t))
            .Skip(query.Offset)
            .Take(query.Limit)
            .ToList();
        var vectors = query.WithVector ? collection.Get([.. hits.Select(h => h.Id)]).ToDictionary(p => p.Id, p => p.Vector, StringComparer.Ordinal) : null;
        return [.. hits.Select(h => (h, vectors?.GetValueOrDefault(h.Id)))];
    }
}
