using System.Numerics.Tensors;
using Microsoft.Data.Sqlite;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Store.Hybrid;
using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

/// <summary>One search entry point for dense, keyword and hybrid search, with MMR and a score threshold.</summary>
public sealed partial class Collection
{
    /// <summary>
    /// Runs <paramref name="request"/>: dense, keyword or both fused; then drops results under the threshold and,
    /// when MMR is asked for, picks a diverse top k from the candidates using the stored vectors. Hits carry the
    /// score of their mode (similarity, BM25, or the fused score), in the order chosen.
    /// </summary>
    public IReadOnlyList<SearchHit> Search(SearchRequest request)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(request);
        if (request.K <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.K, "The number of results (K) must be at least 1.");
        }

        if (request.Candidates <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Candidates, "Candidates per side must be at least 1.");
        }

        var mode = ModeOf(request);
        var pooled = mode == SearchMode.Hybrid || request.MmrLambda is not null;
        var depth = pooled ? Math.Max(request.Candidates, request.K) : request.K;
        var distances = Space.Metric == DistanceMetric.Euclidean;
        var dense = mode == SearchMode.Keyword ? [] : Search(request.Vector, depth, request.Filter, request.Source, request.Ef, request.Exact);
        var keyword = mode == SearchMode.Dense ? [] : SearchKeyword(request.Text!, depth, request.Filter);

        var byId = new Dictionary<string, SearchHit>(StringComparer.Ordinal);
        foreach (var hit in keyword.Concat(dense))
        {
            byId[hit.Id] = hit;
        }

        // Higher-is-better scores for fusion and MMR; Euclidean distances are turned around.
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
            var vectors = StoredVectors(ranked.Select(r => r.Id).ToList());
            var order = RankFusion.MaximalMarginalRelevance(
                relevance, (a, b) => TensorPrimitives.CosineSimilarity(vectors[a], vectors[b]) is var c && float.IsFinite(c) ? c : 0, request.K, lambda);
            ranked = order.Select(i => ranked[i]).ToList();
        }

        return ranked.Take(request.K).Select(r => byId[r.Id] with { Score = (float)r.Score }).ToList();
    }

    private static SearchMode ModeOf(SearchRequest request)
    {
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

    // The stored vectors of the candidates, in order; a point deleted since it was found has a zero vector (no similarity).
    private float[][] StoredVectors(IReadOnlyList<string> ids)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT vector FROM points WHERE id = $id";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var vectors = new float[ids.Count][];
        for (var i = 0; i < ids.Count; i++)
        {
            id.Value = ids[i];
            vectors[i] = command.ExecuteScalar() is byte[] blob ? CollectionDatabase.FromBlob(blob) : new float[Dimensions];
        }

        return vectors;
    }
}
