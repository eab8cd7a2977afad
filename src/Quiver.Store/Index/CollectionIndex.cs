using Quiver.Core.Distances;
using Quiver.Core.Selection;
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

    /// <summary>
    /// The k closest live points, best first, with the metric's score. Uses the graph when it is ready and the
    /// filter (if any) lets through enough points; otherwise scans exactly the points the filter allows.
    /// <paramref name="exact"/> always scans the full vectors (no graph, no quantised codes): the true top k.
    /// </summary>
    public List<(string Id, float Score)> Search(ReadOnlySpan<float> query, int k, int? ef, NodeSet? allowed, bool exact = false)
    {
        var results = new List<(string, float)>(k);
        if (Count == 0 || (allowed is not null && allowed.Count == 0))
        {
            return results;
        }

        if (!exact && GraphReady && (allowed is null || allowed.Count > ExactFilterLimit(k)))
        {
            var searchEf = ef ?? Options.Hnsw.EfSearch;
            if (allowed is not null)
            {
                // A filter hides part of the graph's answers: widen the beam by the inverse of the share it lets
                // through, so about as many allowed candidates are kept as an unfiltered search keeps.
                searchEf = (int)Math.Min(Math.Max(searchEf, k) * ((double)Count / allowed.Count), Math.Max(searchEf, 4 * k) * 8);
            }

            if (Codes is { } codes && codes.Count == Graph.Count)
            {
                // Walk the graph on codes, then rescore the candidates exactly.
                var candidates = Graph.SearchByCodes(codes.Prepare(query, Metric), Math.Max(searchEf, k * Options.Oversampling), allowed);
                return Rescore(query, candidates.Select(c => c.Node), k);
            }

            foreach (var (node, distance) in Graph.Search(query, k, Math.Max(searchEf, k), allowed))
            {
                results.Add((_idOf[node]!, Graph.Score(distance)));
            }

            return results;
        }

        if (!exact && Codes is { } scanCodes && scanCodes.Count == Graph.Count)
        {
            var scorer = scanCodes.Prepare(query, Metric);
            var candidates = new TopK(k * Math.Max(1, Options.Oversampling));
            var nodes = allowed?.Nodes() ?? Enumerable.Range(0, Graph.Count).Where(n => !Graph.IsDeleted(n));
            foreach (var node in nodes)
            {
                candidates.Offer(node, -scorer.Distance(node));
            }

            return Rescore(query, candidates.Drain().Select(c => c.Index), k);
        }

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

    // Below this many allowed points an exact scan of them is both cheaper and exact: a graph search that may only
    // return a small share of the nodes wanders through many it cannot use (measured on glove-100: at 10% selectivity
    // the scan is several times faster than the widened graph search, at 50% the graph wins).
    private int ExactFilterLimit(int k) => Math.Max(Math.Max(Options.ExactThreshold, 50 * k), Count / 5);
}
