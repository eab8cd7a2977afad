using Microsoft.Data.Sqlite;
using Quiver.Core;
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
            throw new QuiverException($"The number of results (K) is {request.K}; it must be at least 1.");
        }

        if (request.Candidates <= 0)
        {
            throw new QuiverException($"Candidates per side is {request.Candidates}; it must be at least 1.");
        }

        var mode = HybridRanking.ModeOf(request);
        var depth = HybridRanking.Depth(request, mode);
        var dense = mode == SearchMode.Keyword ? [] : Search(request.Vector, depth, request.Filter, request.Source, request.Ef, request.Exact);
        var keyword = mode == SearchMode.Dense ? [] : SearchKeyword(request.Text!, depth, request.Filter);
        return HybridRanking.Rank(request, mode, Space.Metric, dense, keyword, StoredVectors);
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
