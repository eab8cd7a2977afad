using Quiver.Server.Http;
using Quiver.Store.Collections;
using Quiver.Store.Search;
using Quiver.Store.Recommendation;

namespace Quiver.Server.Collections;

/// <summary>The nearest points of a search, query or recommend, for REST and gRPC alike.</summary>
internal static class NearestPoints
{
    /// <summary>
    /// The hits (best first) after <paramref name="excluded"/> ids, the threshold and the offset, each with its vector
    /// when the query asks for vectors: the selection becomes one <see cref="SearchRequest"/> that the collection (or,
    /// for a <paramref name="scan"/> strategy, <see cref="Recommender"/>'s scan of every point against the examples)
    /// answers whole.
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

        var request = query.DenseSearch(vector, excluded);
        var hits = scan is { } strategy ? Recommender.Scan(collection, positive!, negative!, strategy, request) : collection.Search(request);
        return [.. hits.Select(h => (h, h.Vector))];
    }
}
