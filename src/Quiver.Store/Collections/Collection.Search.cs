using System.Numerics.Tensors;
using Microsoft.Data.Sqlite;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Filtering;
using Quiver.Store.Search;
using Quiver.Store.Index;
using Quiver.Store.Keyword;
using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

/// <summary>
/// One search entry point for dense, keyword and hybrid search: candidates from the index (by the plan
/// <see cref="SearchPlan"/> chooses) and from BM25, ranked by <see cref="HybridRanking"/>, then read back from SQLite in
/// one statement, all in one read transaction.
/// </summary>
public sealed partial class Collection
{
    /// <summary>
    /// The <paramref name="k"/> points closest to <paramref name="query"/> that match <paramref name="filter"/>, best
    /// first, with payload and text.
    /// </summary>
    /// <param name="ef">The HNSW candidate-list size for this query (higher: better recall, slower); the collection's default when null.</param>
    /// <param name="exact">Scan every stored vector (the filter still applies) with full-precision scores instead of walking the graph or quantised codes: the true top k, slower on large collections.</param>
    public IReadOnlyList<SearchHit> Search(ReadOnlySpan<float> query, int k, PayloadFilter? filter = null, EmbeddingSpace? source = null, int? ef = null, bool exact = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (k <= 0)
        {
            throw new QuiverException($"The number of results is {k}; it must be at least 1.");
        }

        return Search(new SearchRequest { Vector = query.ToArray(), K = k, Filter = filter, Source = source, Ef = ef, Exact = exact, Mode = SearchMode.Dense });
    }

    /// <summary>
    /// Runs <paramref name="request"/>: dense, keyword or both fused; leaves out its excluded ids, drops results under
    /// the threshold and, when MMR is asked for, picks a diverse top k from the candidates using the stored vectors;
    /// then skips the offset. Hits carry the score of their mode (similarity, BM25, or the fused score), in the order
    /// chosen, with payload and text unless the request leaves them out, and their vectors when it asks.
    /// </summary>
    public IReadOnlyList<SearchHit> Search(SearchRequest request)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(request);
        if (request.K <= 0)
        {
            throw new QuiverException($"The number of results (K) is {request.K}; it must be at least 1.");
        }

        if (request.Candidates <= 0)
        {
            throw new QuiverException($"Candidates per side is {request.Candidates}; it must be at least 1.");
        }

        if (request.Offset < 0)
        {
            throw new QuiverException($"The offset is {request.Offset}; it must be 0 or more.");
        }

        var mode = HybridRanking.ModeOf(request);
        var depth = HybridRanking.Depth(request, mode);
        if (mode != SearchMode.Keyword)
        {
            CheckQuery(request.Vector!, request.Source);
        }

        var match = mode == SearchMode.Dense ? null : KeywordQuery.ToMatch(request.Text!);
        using var connection = _storage.Open();

        // One read transaction: the replay, the filter, the keyword side and the hits' rows all see the same snapshot.
        using var transaction = connection.BeginTransaction(deferred: true);
        var dense = mode == SearchMode.Keyword ? [] : Dense(connection, transaction, request.Vector!, depth, request.Filter, request.Ef, request.Exact);
        var keyword = match is null ? [] : Bare(KeywordTable.Search(connection, transaction, match, depth, request.Filter, PayloadIndexes));
        var ranked = HybridRanking.Rank(request, mode, Space.Metric, dense, keyword, ids => PointTable.Vectors(connection, transaction, ids, Dimensions));
        var hits = PointTable.Complete(connection, transaction, ranked, request.WithPayload, request.WithVectors);
        transaction.Commit();
        return hits;
    }

    /// <summary>The plan a dense search of <paramref name="k"/> with this filter would run on the index as it is now (for tests and <c>quiver inspect</c>).</summary>
    internal SearchPlan PlanSearch(int k, PayloadFilter? filter = null, int? ef = null, bool exact = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var connection = _storage.Open();
        using var transaction = connection.BeginTransaction(deferred: true);
        Refresh(connection, transaction);
        _gate.EnterReadLock();
        try
        {
            return _index!.Plan(k, ef, Allowed(connection, transaction, filter, _index), exact);
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    // The index's candidates, best first, without their rows (read once the ranking has chosen the hits).
    private List<SearchHit> Dense(SqliteConnection connection, SqliteTransaction transaction, float[] query, int depth, PayloadFilter? filter, int? ef, bool exact)
    {
        Refresh(connection, transaction);
        List<(string Id, float Score)> found;
        _gate.EnterReadLock();
        try
        {
            var index = _index!;
            var allowed = Allowed(connection, transaction, filter, index);
            found = index.Search(PrepareQuery(query), depth, index.Plan(depth, ef, allowed, exact), allowed);
        }
        finally
        {
            _gate.ExitReadLock();
        }

        return Bare(found);
    }

    // The nodes a filter lets through: from the in-memory payload columns when they can answer it, else from SQLite.
    private NodeSet? Allowed(SqliteConnection connection, SqliteTransaction transaction, PayloadFilter? filter, CollectionIndex index)
    {
        if (filter is null)
        {
            return null;
        }

        if (index.Columns.TryMatch(filter, index.Graph.Count, node => !index.Graph.IsDeleted(node)) is { } matched)
        {
            return matched;
        }

        var nodes = new NodeSet(index.Graph.Count);
        foreach (var id in PointTable.Ids(connection, transaction, filter, PayloadIndexes, ordered: false))
        {
            if (index.TryGetNode(id, out var node))
            {
                nodes.Add(node);
            }
        }

        return nodes;
    }

    private void CheckQuery(float[] query, EmbeddingSpace? source)
    {
        if (source is not null)
        {
            Space.EnsureAccepts(source, $"Search in collection '{Name}'");
        }

        if (query.Length != Dimensions)
        {
            throw new InvalidVectorException(
                $"The query has {query.Length} dimensions but collection '{Name}' holds {Dimensions}-dimensional vectors from {Space}. Embed the query with that model.");
        }

        VectorMath.CheckFinite(query, "query");
        if (Space.Metric == DistanceMetric.Cosine && TensorPrimitives.Norm(query) == 0)
        {
            throw new InvalidVectorException("The query is a zero vector, which has no direction to compare by cosine. Check the text or vector it came from.");
        }
    }

    // Cosine collections hold unit vectors, so the query is scaled to unit length too (a copy: the caller's stays as given).
    private float[] PrepareQuery(float[] query)
    {
        if (Space.Metric != DistanceMetric.Cosine)
        {
            return query;
        }

        var q = (float[])query.Clone();
        VectorMath.Normalize(q);
        return q;
    }

    private static List<SearchHit> Bare(List<(string Id, float Score)> found)
    {
        var hits = new List<SearchHit>(found.Count);
        foreach (var (id, score) in found)
        {
            hits.Add(new SearchHit(id, score, null, null));
        }

        return hits;
    }
}
