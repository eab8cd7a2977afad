using System.Numerics.Tensors;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Store.Collections;

namespace Quiver.Store.Search;

/// <summary>
/// What a search does after retrieval: fusion of the dense and keyword rankings, the score threshold and MMR. One
/// collection runs it over its own candidates; a sharded collection runs the same code over the candidates merged
/// from its shards, so both give the same answer for the same candidates.
/// </summary>
public static class HybridRanking
{
    /// <summary>The request's mode: as set, else hybrid when it has a vector and text, else whichever it has.</summary>
    public static SearchMode ModeOf(SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var mode = request.Mode ?? (request.Vector, request.Text) switch
        {
            (not null, not null) => SearchMode.Hybrid,
            (not null, null) => SearchMode.Dense,
            (null, not null) => SearchMode.Keyword,
            _ => throw new QuiverException("A search needs a query: a vector (dense), text (keyword) or both (hybrid)."),
        };
        if (mode != SearchMode.Keyword && request.Vector is null)
        {
            throw new QuiverException($"A {mode.ToString().ToLowerInvariant()} search needs the query's vector; embed the query text with the collection's model.");
        }

        if (mode != SearchMode.Dense && request.Text is null)
        {
            throw new QuiverException($"A {mode.ToString().ToLowerInvariant()} search needs the query's text for BM25.");
        }

        return mode;
    }

    /// <summary>
    /// Candidates each side retrieves: enough for the page (k + offset) and the excluded ids, and at least the request's
    /// candidates when fusing or diversifying.
    /// </summary>
    public static int Depth(SearchRequest request, SearchMode mode)
    {
        ArgumentNullException.ThrowIfNull(request);
        var window = request.K + request.Offset + (request.Exclude?.Count ?? 0);
        var pooled = mode == SearchMode.Hybrid || request.MmrLambda is not null;
        return pooled ? Math.Max(request.Candidates, window) : window;
    }

    /// <summary>
    /// Leaves out the excluded ids, fuses <paramref name="dense"/> and <paramref name="keyword"/> (each best first,
    /// <see cref="Depth"/> long at most), drops results under the threshold, applies MMR with the vectors
    /// <paramref name="storedVectors"/> gives for candidate ids (in order; a zero vector for one that is gone), skips the
    /// offset and returns the next k with their mode's score.
    /// </summary>
    public static IReadOnlyList<SearchHit> Rank(
        SearchRequest request,
        SearchMode mode,
        DistanceMetric metric,
        IReadOnlyList<SearchHit> dense,
        IReadOnlyList<SearchHit> keyword,
        Func<IReadOnlyList<string>, float[][]> storedVectors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(storedVectors);
        if (request.Exclude is { Count: > 0 } excluded)
        {
            dense = dense.Where(h => !excluded.Contains(h.Id)).ToList();
            keyword = keyword.Where(h => !excluded.Contains(h.Id)).ToList();
        }

        var byId = new Dictionary<string, SearchHit>(StringComparer.Ordinal);
        foreach (var hit in keyword.Concat(dense))
        {
            byId[hit.Id] = hit;
        }

        // Higher-is-better scores for fusion and MMR; Euclidean distances are turned around.
        var distances = metric == DistanceMetric.Euclidean;
        double Better(SearchHit h) => distances ? -h.Score : h.Score;
        List<(string Id, double Score)> ranked = mode switch
        {
            SearchMode.Dense => dense.Select(h => (h.Id, (double)h.Score)).ToList(),
            SearchMode.Keyword => keyword.Select(h => (h.Id, (double)h.Score)).ToList(),
            _ when request.Fusion == FusionMethod.WeightedSum => RankFusion.WeightedSum(
                dense.Select(h => (h.Id, Better(h))).ToList(), keyword.Select(h => (h.Id, (double)h.Score)).ToList(), request.KeywordWeight),
            _ => RankFusion.ReciprocalRank([dense.Select(h => h.Id).ToList(), keyword.Select(h => h.Id).ToList()], request.RrfK),
        };

        if (request.ScoreThreshold is { } threshold)
        {
            var lowerIsBetter = mode == SearchMode.Dense && distances;
            ranked = ranked.Where(r => lowerIsBetter ? r.Score <= threshold : r.Score >= threshold).ToList();
        }

        if (request.MmrLambda is { } lambda && ranked.Count > 0)
        {
            var relevance = RankFusion.MinMax(ranked.Select(r => (r.Id, mode == SearchMode.Dense && distances ? -r.Score : r.Score)).ToList())
                .Select(r => r.Score).ToList();
            var vectors = storedVectors(ranked.Select(r => r.Id).ToList());
            var order = RankFusion.MaximalMarginalRelevance(
                relevance, (a, b) => TensorPrimitives.CosineSimilarity(vectors[a], vectors[b]) is var c && float.IsFinite(c) ? c : 0, request.K + request.Offset, lambda);
            ranked = order.Select(i => ranked[i]).ToList();
        }

        return ranked.Skip(request.Offset).Take(request.K).Select(r => byId[r.Id] with { Score = (float)r.Score }).ToList();
    }
}
