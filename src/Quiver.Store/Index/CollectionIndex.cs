using Quiver.Core.Distances;
using Quiver.Store.Search;
using Quiver.Store.Index.Hnsw;
using Quiver.Store.Index.Quantization;

namespace Quiver.Store.Index;

/// <summary>
/// The in-memory search structure of one collection: its vectors (as HNSW graph nodes), the id of each node, and
/// the last sequence number applied. It is a cache of SQLite, brought forward by replaying later changes.
/// An update stores the new vector as a new node and tombstones the old one; tombstones are compacted away by a
/// rebuild once they pass a quarter of the nodes. Not thread-safe: the collection guards it.
/// </summary>
internal sealed class CollectionIndex
{
    private readonly Dictionary<string, int> _nodeOf = new(StringComparer.Ordinal);
    private readonly List<string?> _idOf = [];

    public CollectionIndex(int dimensions, DistanceMetric metric, IndexOptions options)
    {
        Dimensions = dimensions;
        Metric = metric;
        Options = options;
        Graph = new HnswGraph(dimensions, metric, options.Hnsw);
    }

    public int Dimensions { get; }

    public DistanceMetric Metric { get; }

    public IndexOptions Options { get; }

    public HnswGraph Graph { get; private set; }

    public long Sequence { get; set; }

    /// <summary>Compressed codes of every node when the collection is quantised and past the exact threshold.</summary>
    public QuantizedCodes? Codes { get; private set; }

    /// <summary>Indexed payload fields, one value per node, for filters answered in memory.</summary>
    public PayloadColumns Columns { get; } = new();

    public int Count => _nodeOf.Count;

    /// <summary>Whether searches use the graph (else they scan exactly).</summary>
    public bool GraphReady => Options.Kind == IndexKind.Hnsw && Count >= Options.ExactThreshold && Graph.LinkedCount == Graph.Count;

    public IReadOnlyList<string?> Ids => _idOf;

    public bool TryGetNode(string id, out int node) => _nodeOf.TryGetValue(id, out node);

    /// <summary>Stores a point's vector as a new node (tombstoning its old one); returns the node.</summary>
    public int Upsert(string id, ReadOnlySpan<float> vector)
    {
        if (_nodeOf.TryGetValue(id, out var old))
        {
            Graph.MarkDeleted(old);
            _idOf[old] = null;
        }

        var node = Graph.Append(vector);
        _idOf.Add(id);
        _nodeOf[id] = node;
        Codes?.Append(vector);
        return node;
    }

    public void Delete(string id)
    {
        if (_nodeOf.Remove(id, out var node))
        {
            Graph.MarkDeleted(node);
            _idOf[node] = null;
        }
    }

    /// <summary>
    /// After a replay: compacts when tombstones dominate, links pending nodes into the graph, and fits quantisation
    /// codes; below the exact threshold there is nothing to do.
    /// </summary>
    public void Settle(IProgress<int>? progress = null)
    {
        if (Count < Options.ExactThreshold)
        {
            return;
        }

        if (Graph.DeletedCount > Graph.Count / 4)
        {
            Compact();
        }

        if (Options.Kind == IndexKind.Hnsw)
        {
            Graph.LinkPending(Options.BuildThreads, progress);
        }

        if (Options.Quantization != QuantizationKind.None && Codes is null)
        {
            Codes = QuantizedCodes.Fit(Options.Quantization, Graph);
        }
    }

    /// <summary>Replaces the graph with one of the live nodes only (node numbers change).</summary>
    public void Compact()
    {
        var fresh = new HnswGraph(Dimensions, Metric, Options.Hnsw, Math.Max(Count, 16));
        var ids = new List<string?>(Count);
        var kept = new List<int>(Count);
        for (var node = 0; node < _idOf.Count; node++)
        {
            if (_idOf[node] is { } id)
            {
                _nodeOf[id] = fresh.Append(Graph.Vector(node));
                ids.Add(id);
                kept.Add(node);
            }
        }

        Columns.Keep(kept);
        _idOf.Clear();
        _idOf.AddRange(ids);
        Graph = fresh;

        // Refit the codes' ranges on the surviving vectors.
        Codes = null;
    }

    /// <summary>Installs a graph loaded from a snapshot with the ids of its nodes (null for tombstones).</summary>
    public void Restore(HnswGraph graph, IReadOnlyList<string?> ids, long sequence)
    {
        Graph = graph;
        _idOf.Clear();
        _idOf.AddRange(ids);
        _nodeOf.Clear();
        for (var node = 0; node < ids.Count; node++)
        {
            if (ids[node] is { } id)
            {
                _nodeOf[id] = node;
            }
        }

        Sequence = sequence;

        // A snapshot written before graphs were repaired after linking may hold nodes no search can reach.
        Graph.Reconnect();
    }

    /// <summary>Whether quantised codes cover every node (else searches use the full vectors only).</summary>
    public bool CodesReady => Codes is { } codes && codes.Count == Graph.Count;

    /// <summary>How a search of <paramref name="k"/> with this filter share would run now (see <see cref="SearchPlan"/>).</summary>
    public SearchPlan Plan(int k, int? ef, NodeSet? allowed, bool exact = false) =>
        SearchPlan.Choose(Count, GraphReady, CodesReady, allowed?.Count, k, ef, exact, Options);

    /// <summary>
    /// The k closest live points, best first, with the metric's score, found the way <see cref="Plan"/> chooses.
    /// <paramref name="exact"/> always scans the full vectors (no graph, no quantised codes): the true top k.
    /// </summary>
    public List<(string Id, float Score)> Search(ReadOnlySpan<float> query, int k, int? ef, NodeSet? allowed, bool exact = false) =>
        Search(query, k, Plan(k, ef, allowed, exact), allowed);

    /// <summary>The k closest live points among <paramref name="allowed"/> (all when null), found by <paramref name="plan"/>.</summary>
    public List<(string Id, float Score)> Search(ReadOnlySpan<float> query, int k, SearchPlan plan, NodeSet? allowed)
    {
        var hits = NodeSearch.Run(Graph, Codes, Options.Oversampling, query, k, plan, allowed);
        var results = new List<(string, float)>(hits.Count);
        foreach (var hit in hits)
        {
            results.Add((_idOf[hit.Id]!, hit.Score));
        }

        return results;
    }
}
