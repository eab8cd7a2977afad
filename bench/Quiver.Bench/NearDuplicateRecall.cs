using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Duplicates;

namespace Quiver.Bench;

/// <summary>
/// Near-duplicate search through the index against the exact all-pairs answer: a collection of random unit vectors
/// with planted near-copies (cosine about 0.93–0.995 to their original, some originals copied twice); recall of the
/// exact pairs at or above the threshold, and the time of both.
/// Usage: Quiver.Bench near-duplicates [--points 20000] [--copies 2000] [--dims 384] [--threshold 0.95] [--seed 1]
/// </summary>
internal static class NearDuplicateRecall
{
    public static void Run(Args options)
    {
        var points = int.Parse(options.Get("points", "20000"), CultureInfo.InvariantCulture);
        var copies = int.Parse(options.Get("copies", "2000"), CultureInfo.InvariantCulture);
        var dims = int.Parse(options.Get("dims", "384"), CultureInfo.InvariantCulture);
        var threshold = double.Parse(options.Get("threshold", "0.95"), CultureInfo.InvariantCulture);
        var random = new Random(int.Parse(options.Get("seed", "1"), CultureInfo.InvariantCulture));
        var vectors = new List<float[]>(points);
        for (var i = 0; i < points - copies; i++)
        {
            vectors.Add(Unit(Enumerable.Range(0, dims).Select(_ => Gaussian(random)).ToArray()));
        }

        for (var i = 0; i < copies; i++)
        {
            // Originals from the first tenth of the set, so some are copied more than once.
            var original = vectors[random.Next(Math.Max(1, (points - copies) / 10))];
            var noise = 0.005 + (random.NextDouble() * 0.015);
            vectors.Add(Unit(original.Select(x => x + (float)(Gaussian(random) * noise)).ToArray()));
        }

        var folder = Path.Combine(Path.GetTempPath(), "quiver-near-duplicates-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var collection = new CollectionStore(folder).Create("d", new CollectionOptions(EmbeddingSpace.Raw(dims, DistanceMetric.Cosine)));
            var clock = Stopwatch.StartNew();
            collection.Upsert(vectors.Select((v, i) => new Point(i.ToString(CultureInfo.InvariantCulture), v)).ToList());
            collection.Flush();
            Console.WriteLine($"{points:N0} points ({copies:N0} planted copies), {dims}-d: stored and indexed in {clock.Elapsed.TotalSeconds:F1} s");

            clock.Restart();
            var report = NearDuplicates.Find(collection, new DuplicateOptions { Threshold = threshold });
            var indexSeconds = clock.Elapsed.TotalSeconds;

            clock.Restart();
            var exact = new HashSet<(int, int)>();
            var gate = new object();
            Parallel.For(0, vectors.Count, i =>
            {
                for (var j = i + 1; j < vectors.Count; j++)
                {
                    if (TensorPrimitives.Dot(vectors[i], vectors[j]) >= threshold)
                    {
                        lock (gate)
                        {
                            exact.Add((i, j));
                        }
                    }
                }
            });
            var exactSeconds = clock.Elapsed.TotalSeconds;
            var found = report.Pairs.Select(p => (int.Parse(p.First, CultureInfo.InvariantCulture), int.Parse(p.Second, CultureInfo.InvariantCulture)))
                .Select(p => p.Item1 < p.Item2 ? p : (p.Item2, p.Item1)).ToHashSet();
            var hits = exact.Count(found.Contains);
            var spurious = found.Count(p => !exact.Contains(p));
            Console.WriteLine($"exact pairs at cosine >= {threshold}: {exact.Count:N0}; found through the index: {hits:N0} (recall {(double)hits / Math.Max(1, exact.Count):F4}), {spurious} not in the exact set; {report.Groups.Count:N0} groups");
            Console.WriteLine($"time: index {indexSeconds:F1} s, exact all pairs {exactSeconds:F1} s ({Environment.ProcessorCount} threads, SIMD dot products); ratio {indexSeconds / exactSeconds:F2}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static float[] Unit(float[] v)
    {
        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
        return v;
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
