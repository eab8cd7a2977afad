using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Quiver.Core.Distances;
using Quiver.Core.Selection;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;
using Quiver.Store.Index;
using Quiver.Store.Index.Hnsw;

namespace Quiver.Bench;

/// <summary>
/// Filtered search end to end through a collection (SQLite payload filter, then the index): every base row gets a
/// random integer field r in [0, 1000); filters r &lt; bound keep 50%, 10%, 1% and 0.1%. Measured without and with a
/// payload index on r. Usage: Quiver.Bench collection-filter --dataset glove [--queries 200] [--ef 200]
/// </summary>
internal static class CollectionFiltered
{
    public static void Run(Args options)
    {
        var dataset = AnnDataset.Load(options);
        var queries = int.Parse(options.Get("queries", "200"), CultureInfo.InvariantCulture);
        var ef = int.Parse(options.Get("ef", "200"), CultureInfo.InvariantCulture);
        var d = dataset.Dimensions;
        var folder = Path.Combine(Path.GetTempPath(), "quiver-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new CollectionStore(folder);
            using var collection = store.Create("bench", new CollectionOptions(
                EmbeddingSpace.Raw(d, dataset.Metric),
                new IndexOptions { Hnsw = new HnswParameters(16, 200, ef) }));
            var random = new Random(7);
            var field = new int[dataset.BaseCount];
            var clock = Stopwatch.StartNew();
            for (var start = 0; start < dataset.BaseCount; start += 10_000)
            {
                var batch = new List<Point>();
                for (var i = start; i < Math.Min(start + 10_000, dataset.BaseCount); i++)
                {
                    field[i] = random.Next(1000);
                    batch.Add(new Point(i.ToString(CultureInfo.InvariantCulture), dataset.Base.AsSpan(i * d, d).ToArray(), new JsonObject { ["r"] = field[i] }));
                }

                collection.Upsert(batch);
            }

            var upsertSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            collection.Flush();
            Console.Error.WriteLine($"› upserted {dataset.BaseCount:N0} points in {upsertSeconds:F1} s; index built and saved in {clock.Elapsed.TotalSeconds:F1} s");

            var results = new List<object>();
            foreach (var indexed in new[] { false, true })
            {
                if (indexed)
                {
                    collection.CreatePayloadIndex("r", PayloadIndexKind.Integer);
                }

                foreach (var bound in new[] { 500, 100, 10, 1 })
                {
                    var filter = new PayloadFilter([new RangeCondition("r", Lt: bound)]);
                    var allowedRows = Enumerable.Range(0, dataset.BaseCount).Where(i => field[i] < bound).ToArray();
                    var allowedSet = allowedRows.ToHashSet();
                    double recall = 0;
                    var searchClock = new Stopwatch();
                    // Without an index every query scans all payloads in SQLite, so fewer queries suffice to time it.
                    var n = indexed ? queries : Math.Min(queries, 20);
                    for (var q = 0; q < n; q++)
                    {
                        var query = dataset.Queries.AsSpan(q * d, d).ToArray();
                        searchClock.Start();
                        var hits = collection.Search(query, 10, filter);
                        searchClock.Stop();
                        if (dataset.Metric == DistanceMetric.Cosine)
                        {
                            VectorMath.Normalize(query);
                        }

                        var truth = ExactSearch.Search(dataset.Base, d, query, 10, dataset.Metric, allowedSet.Contains).Select(h => h.Index.ToString(CultureInfo.InvariantCulture)).ToHashSet();
                        recall += hits.Count(h => truth.Contains(h.Id)) / (double)Math.Min(10, truth.Count);
                    }

                    var row = new { payload_index = indexed, selectivity = bound / 1000.0, allowed = allowedRows.Length, queries = n, recall = recall / n, qps = n / searchClock.Elapsed.TotalSeconds };
                    results.Add(row);
                    Console.Error.WriteLine($"  {(indexed ? "indexed r" : "no index ")}  {row.selectivity,6:P1}: recall@10 {row.recall:F4}  {row.qps,8:N0} q/s");
                }
            }

            Console.WriteLine(JsonSerializer.Serialize(new { dataset = dataset.Name, n = dataset.BaseCount, ef, queries, upsert_seconds = upsertSeconds, results }));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
