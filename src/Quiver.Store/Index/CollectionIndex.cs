using Quiver.Core.Distances;
using Quiver.Core.Selection;
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
        switch (plan.Kind)
        {
            case SearchPlanKind.Empty:
                return [];
            case SearchPlanKind.Graph or SearchPlanKind.FilteredGraph when plan.ByCodes:
                // Walk the graph on codes, then rescore the candidates exactly.
                var candidates = Graph.SearchByCodes(Codes!.Prepare(query, Metric), plan.Ef, allowed);
                return Rescore(query, candidates.Select(c => c.Node), k);
            case SearchPlanKind.Graph or SearchPlanKind.FilteredGraph:
                var results = new List<(string, float)>(k);
                foreach (var (node, distance) in Graph.Search(query, k, plan.Ef, allowed))
                {
                    results.Add((_idOf[node]!, Graph.Score(distance)));
                }

                return results;
            case SearchPlanKind.ExactScan or SearchPlanKind.ExactOverAllowedIds when plan.ByCodes:
                var scorer = Codes!.Prepare(query, Metric);
                var scanned = new TopK(k * Math.Max(1, Options.Oversampling));
                var nodes = allowed?.Nodes() ?? Enumerable.Range(0, Graph.Count).Where(n => !Graph.IsDeleted(n));
                foreach (var node in nodes)
                {
                    scanned.Offer(node, -scorer.Distance(node));
                }

                return Rescore(query, scanned.Drain().Select(c => c.Index), k);
            default:
                return Scan(query, k, allowed);
        }
    }

    private List<(string Id, float Score)> Scan(ReadOnlySpan<float> query, int k, NodeSet? allowed)
    {
        var top = new TopK(k);
        if (allowed is not null)
        {
            // The allowed rows are scattered through memory: fetch a block's vectors ahead of scoring them.
            var nodes = allowed.Nodes().ToArray();
            const int block = 16;
            for (var start = 0; start < nodes.Length; start += block)
            {
                var span = nodes.AsSpan(start, Math.Min(block, nodes.Length - start));
                if (start + block < nodes.Length)
                {
                    Graph.Prefetch(nodes.AsSpan(start + block, Math.Min(block, nodes.Length - start - block)));
                }

                foreach (var node in span)
                {
                    top.Offer(node, -Graph.Distance(query, Graph.Vector(node)));
                }
            }
        }
        else
        {
            for (var node = 0; node < Graph.Count; node++)
            {
                if (!Graph.IsDeleted(node))
                {
                    top.Offer(node, -Graph.Distance(query, Graph.Vector(node)));
                }
            }
        }

        var results = new List<(string, float)>(k);
        foreach (var hit in top.Drain())
        {
            results.Add((_idOf[hit.Index]!, Graph.Score(0f - hit.Score)));
        }

        return results;
    }

    private List<(string Id, float Score)> Rescore(ReadOnlySpan<float> query, IEnumerable<int> candidates, int k)
    {
        var top = new TopK(k);
        foreach (var node in candidates)
        {
            top.Offer(node, -Graph.Distance(query, Graph.Vector(node)));
        }

        return top.Drain().Select(h => (_idOf[h.Index]!, Graph.Score(0f - h.Score))).ToList();
    }
}
