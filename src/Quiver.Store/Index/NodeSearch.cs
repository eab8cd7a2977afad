using Quiver.Core.Selection;
using Quiver.Store.Index.Hnsw;
using Quiver.Store.Index.Quantization;
using Quiver.Store.Search;

namespace Quiver.Store.Index;

/// <summary>
/// Runs a <see cref="SearchPlan"/> over a graph's nodes (and its quantised codes, when fitted): the k closest live
/// nodes, best first, with the metric's score. Shared by a collection's index (which maps nodes to point ids) and
/// the public <see cref="VectorIndex"/> (whose ids are the node numbers).
/// </summary>
internal static class NodeSearch
{
    public static List<VectorHit> Run(
        HnswGraph graph, QuantizedCodes? codes, int oversampling, ReadOnlySpan<float> query, int k, SearchPlan plan, NodeSet? allowed)
    {
        switch (plan.Kind)
        {
            case SearchPlanKind.Empty:
                return [];
            case SearchPlanKind.Graph or SearchPlanKind.FilteredGraph when plan.ByCodes:
                // Walk the graph on codes, then rescore the candidates exactly.
                var candidates = graph.SearchByCodes(codes!.Prepare(query, graph.Metric), plan.Ef, allowed);
                return Rescore(graph, query, candidates.Select(c => c.Node), k);
            case SearchPlanKind.Graph or SearchPlanKind.FilteredGraph:
                var found = graph.Search(query, k, plan.Ef, allowed);
                var results = new List<VectorHit>(found.Count);
                foreach (var (node, distance) in found)
                {
                    results.Add(new VectorHit(node, graph.Score(distance)));
                }

                return results;
            case SearchPlanKind.ExactScan or SearchPlanKind.ExactOverAllowedIds when plan.ByCodes:
                var scorer = codes!.Prepare(query, graph.Metric);
                var scanned = new TopK(k * Math.Max(1, oversampling));
                var nodes = allowed?.Nodes() ?? Enumerable.Range(0, graph.Count).Where(n => !graph.IsDeleted(n));
                foreach (var node in nodes)
                {
                    scanned.Offer(node, -scorer.Distance(node));
                }

                return Rescore(graph, query, scanned.Drain().Select(c => c.Index), k);
            default:
                return Scan(graph, query, k, allowed);
        }
    }

    private static List<VectorHit> Scan(HnswGraph graph, ReadOnlySpan<float> query, int k, NodeSet? allowed)
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
                    graph.Prefetch(nodes.AsSpan(start + block, Math.Min(block, nodes.Length - start - block)));
                }

                foreach (var node in span)
                {
                    top.Offer(node, -graph.Distance(query, graph.Vector(node)));
                }
            }
        }
        else
        {
            for (var node = 0; node < graph.Count; node++)
            {
                if (!graph.IsDeleted(node))
                {
                    top.Offer(node, -graph.Distance(query, graph.Vector(node)));
                }
            }
        }

        return Hits(graph, top);
    }

    private static List<VectorHit> Rescore(HnswGraph graph, ReadOnlySpan<float> query, IEnumerable<int> candidates, int k)
    {
        var top = new TopK(k);
        foreach (var node in candidates)
        {
            top.Offer(node, -graph.Distance(query, graph.Vector(node)));
        }

        return Hits(graph, top);
    }

    private static List<VectorHit> Hits(HnswGraph graph, TopK top)
    {
        var drained = top.Drain();
        var results = new List<VectorHit>(drained.Length);
        foreach (var hit in drained)
        {
            results.Add(new VectorHit(hit.Index, graph.Score(0f - hit.Score)));
        }

        return results;
    }
}
