using System.Diagnostics;
using System.Globalization;
using Quiver.Store.Index.Hnsw;

namespace Quiver.Bench;

/// <summary>
/// Live nodes that the entry point cannot reach on layer 0, and points that a search for their own vector misses at
/// the default ef, with and without the reachability repair, after inserts and after updating a tenth of the points;
/// build time of both, same run, alternating.
/// Usage: Quiver.Bench reachability --dataset fashion [--m 16] [--efc 200] [--threads 2] [--rounds 3]
/// </summary>
internal static class Reachability
{
    public static void Run(Args options)
    {
        var dataset = AnnDataset.Load(options);
        var d = dataset.Dimensions;
        var n = dataset.BaseCount;
        var m = int.Parse(options.Get("m", "16"), CultureInfo.InvariantCulture);
        var efc = int.Parse(options.Get("efc", "200"), CultureInfo.InvariantCulture);
        var threads = int.Parse(options.Get("threads", "2"), CultureInfo.InvariantCulture);
        var rounds = int.Parse(options.Get("rounds", "3"), CultureInfo.InvariantCulture);
        var seconds = new Dictionary<bool, double> { [false] = 0, [true] = 0 };
        for (var round = 0; round < rounds; round++)
        {
            foreach (var repair in new[] { false, true })
            {
                var graph = new HnswGraph(d, dataset.Metric, new HnswParameters(m, efc), n) { RepairsAfterLinking = repair };
                var clock = Stopwatch.StartNew();
                graph.AddRange(dataset.Base, threads);
                var inserts = Count(graph, dataset.Base, d);

                // Updates: every tenth point gets a new node with its vector slightly moved; the old one is tombstoned.
                var current = Enumerable.Range(0, n).ToArray();
                var rows = (float[])dataset.Base.Clone();
                for (var i = 0; i < n; i += 10)
                {
                    var row = rows.AsSpan(i * d, d);
                    row[0] += 0.01f;
                    graph.MarkDeleted(current[i]);
                    current[i] = graph.Append(row);
                }

                graph.LinkPending(threads);
                clock.Stop();
                seconds[repair] += clock.Elapsed.TotalSeconds;
                var updates = Count(graph, rows, d, current);
                Console.WriteLine(
                    $"{dataset.Name} m={m} efc={efc} threads={threads} repair={repair,-5} build+update {clock.Elapsed.TotalSeconds:F2} s | " +
                    $"after inserts: unreachable {inserts.Unreachable}, self-miss {inserts.Missed} | after updates: unreachable {updates.Unreachable}, self-miss {updates.Missed}");
            }
        }

        Console.WriteLine($"build time with repair / without: {seconds[true] / seconds[false]:F3} ({rounds} rounds each, alternating)");
    }

    private static (int Unreachable, int Missed) Count(HnswGraph graph, float[] rows, int d, int[]? nodes = null)
    {
        var reached = graph.ReachableFromEntry();
        var unreachable = Enumerable.Range(0, graph.LinkedCount).Count(node => !graph.IsDeleted(node) && !reached[node]);
        var n = rows.Length / d;
        var missed = 0;
        for (var i = 0; i < n; i++)
        {
            var node = nodes?[i] ?? i;
            var hits = graph.Search(rows.AsSpan(i * d, d), 1, graph.Parameters.EfSearch, null);
            missed += hits.Count == 0 || hits[0].Node != node ? 1 : 0;
        }

        return (unreachable, missed);
    }
}
