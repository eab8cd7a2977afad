using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Quiver.Core.Distances;
using Quiver.Core.Selection;
using Quiver.Store.Index;
using Quiver.Store.Index.Quantization;

namespace Quiver.Bench;

/// <summary>
/// int8 and binary candidate scans with exact rescoring, against the float32 exact scan on the same data:
/// recall@10 and the speed-up of each over float search. Usage: Quiver.Bench quant --dataset glove|fashion
/// </summary>
internal static class Quantized
{
    public static void Run(Args options)
    {
        var dataset = AnnDataset.Load(options);
        var queries = Math.Min(int.Parse(options.Get("queries", "1000"), CultureInfo.InvariantCulture), dataset.QueryCount);
        var d = dataset.Dimensions;
        const int k = 10;

        float[] Query(int i)
        {
            var q = dataset.Queries.AsSpan(i * d, d).ToArray();
            if (dataset.Metric == DistanceMetric.Cosine)
            {
                VectorMath.Normalize(q);
            }

            return q;
        }

        // Float32 exact scan: the baseline both for speed and (recall 1.0) for quality. One untimed pass warms the JIT.
        for (var i = 0; i < Math.Min(queries, 50); i++)
        {
            ExactSearch.Search(dataset.Base, d, Query(i), k, dataset.Metric);
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < queries; i++)
        {
            ExactSearch.Search(dataset.Base, d, Query(i), k, dataset.Metric);
        }

        var floatQps = queries / clock.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"› float32 exact scan: {floatQps:N0} q/s ({dataset.Name}, {queries} queries)");
        var rows = new List<object> { new { codes = "float32", oversampling = 1, recall = 1.0, qps = floatQps, speedup = 1.0, code_bytes_per_vector = d * 4.0 } };
        foreach (var (kind, oversamplings) in new[] { (QuantizationKind.Int8, new[] { 1, 2, 4, 10 }), (QuantizationKind.Binary, new[] { 10, 40, 100 }) })
        {
            foreach (var oversampling in oversamplings)
            {
                // The collections' own path: a Flat index with codes scans them and rescores k·oversampling exactly.
                var index = VectorIndex.Build(dataset.Base, d, dataset.Metric, new IndexOptions
                {
                    Kind = IndexKind.Flat,
                    Quantization = kind,
                    Oversampling = oversampling,
                    ExactThreshold = 1,
                });
                List<int> Find(float[] q) => index.Search(q, k).Select(h => h.Id).ToList();
                for (var i = 0; i < Math.Min(queries, 50); i++)
                {
                    Find(Query(i));
                }

                double recall = 0;
                clock.Restart();
                for (var i = 0; i < queries; i++)
                {
                    recall += dataset.Recall(i, Find(Query(i)), k);
                }

                var qps = queries / clock.Elapsed.TotalSeconds;
                var codeBytes = index.CodeBytesPerVector;
                var row = new { codes = kind.ToString().ToLowerInvariant(), oversampling, recall = recall / queries, qps, speedup = qps / floatQps, code_bytes_per_vector = codeBytes };
                rows.Add(row);
                Console.Error.WriteLine($"  {row.codes,-6} x{oversampling,-3} recall@10 {row.recall:F4}  {qps,8:N0} q/s  {row.speedup:F2}x float  {codeBytes} code bytes/vector");
            }
        }

        Console.WriteLine(JsonSerializer.Serialize(new { dataset = dataset.Name, n = dataset.BaseCount, dimensions = d, queries, results = rows }));
    }
}
