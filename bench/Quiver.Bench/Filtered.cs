using System.Diagnostics;
using Quiver.Core.Distances;
using Quiver.Core.Selection;
using Quiver.Store.Index;

namespace Quiver.Bench;

/// <summary>
/// Filtered search at selectivities 50%, 10%, 1% and 0.1%: every base row gets a random integer field in [0, 1000),
/// the filter keeps rows below a bound, and the search runs through the index's own strategy (the one collections use) (graph
/// search restricted to the allowed rows, or an exact scan of them when they are few). Recall@10 is against the exact
/// top 10 among the allowed rows.
/// </summary>
internal static class Filtered
{
    public static List<object> Run(AnnDataset dataset, VectorIndex index, int k, int ef)
    {
        var d = dataset.Dimensions;
        var random = new Random(7);
        var field = Enumerable.Range(0, dataset.BaseCount).Select(_ => random.Next(1000)).ToArray();
        var queries = Math.Min(1000, dataset.QueryCount);
        var results = new List<object>();
        foreach (var bound in new[] { 500, 100, 10, 1 })
        {
            var allowed = new AllowedIds(dataset.BaseCount);
            for (var i = 0; i < dataset.BaseCount; i++)
            {
                if (field[i] < bound)
                {
                    allowed.Add(i);
                }
            }

            var query = new float[d];
            double recall = 0;
            var clock = new Stopwatch();
            for (var i = 0; i < queries; i++)
            {
                dataset.Queries.AsSpan(i * d, d).CopyTo(query);
                if (dataset.Metric == DistanceMetric.Cosine)
                {
                    VectorMath.Normalize(query);
                }

                clock.Start();
                var hits = index.Search(query, k, ef, allowed);
                clock.Stop();
                var truth = ExactSearch.Search(dataset.Base, d, query, k, dataset.Metric, allowed.Contains).Select(h => h.Index).ToHashSet();
                recall += hits.Count(h => truth.Contains(h.Id)) / (double)Math.Min(k, truth.Count);
            }

            var row = new { selectivity = bound / 1000.0, allowed = allowed.Count, ef, recall = recall / queries, qps = queries / clock.Elapsed.TotalSeconds };
            results.Add(row);
            Console.Error.WriteLine($"  filter {row.selectivity,6:P1} ({row.allowed,7:N0} rows), ef {ef}: recall@{k} {row.recall:F4}  {row.qps,9:N0} q/s");
        }

        return results;
    }
}
