using System.IO.Compression;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Catalogue;

namespace Quiver.Bench;

/// <summary>An ANN benchmark set in .fvecs/.ivecs files: base rows, query rows and the exact top-100 of each query.</summary>
internal sealed record AnnDataset(string Name, DistanceMetric Metric, float[] Base, float[] Queries, int Dimensions, int[][] GroundTruth)
{
    public int BaseCount => Base.Length / Dimensions;

    public int QueryCount => Queries.Length / Dimensions;

    /// <summary>
    /// glove-100-angular as ann-benchmarks builds it, from the installed glove-100 model: unit vectors, 10,000 words
    /// (chosen at random with a fixed seed) held out as queries, the rest as base. Files are cached in <paramref name="cache"/>.
    /// </summary>
    public static AnnDataset Glove(string cache)
    {
        var folder = Path.Combine(cache, "glove-100-angular");
        Directory.CreateDirectory(folder);
        var basePath = Path.Combine(folder, "base.fvecs");
        var queryPath = Path.Combine(folder, "query.fvecs");
        var truthPath = Path.Combine(folder, "groundtruth.ivecs");
        if (!File.Exists(truthPath))
        {
            Console.Error.WriteLine("› preparing glove-100-angular from the installed glove-100 model");
            var vectors = InstalledModels.Open(QuiverPaths.FromEnvironment(), "glove-100").Vectors;
            var d = vectors.Dimensions;
            var order = Enumerable.Range(0, vectors.Count).ToArray();
            new Random(42).Shuffle(order);
            var queries = new float[10_000 * d];
            var rows = new float[(vectors.Count - 10_000) * d];
            for (var i = 0; i < order.Length; i++)
            {
                var target = i < 10_000 ? queries.AsSpan(i * d, d) : rows.AsSpan((i - 10_000) * d, d);
                VectorMath.Normalize(vectors.Vector(order[i]), target);
            }

            VectorFiles.WriteFvecs(basePath, rows, d);
            VectorFiles.WriteFvecs(queryPath, queries, d);
            Console.Error.WriteLine("› computing exact ground truth (brute force, once)");
            VectorFiles.WriteIvecs(truthPath, ExactTopK(rows, queries, d, DistanceMetric.Cosine, 100));
        }

        var (b, dims) = VectorFiles.ReadFvecs(basePath);
        var (q, _) = VectorFiles.ReadFvecs(queryPath);
        return new AnnDataset("glove-100-angular", DistanceMetric.Cosine, b, q, dims, VectorFiles.ReadIvecs(truthPath));
    }

    /// <summary>The shared fashion-mnist-784-euclidean set; its base is also written as .fvecs for peers.</summary>
    public static AnnDataset FashionMnist(string data, string cache)
    {
        var source = Path.Combine(data, "ann", "fashion-mnist-784-euclidean");
        var folder = Path.Combine(cache, "fashion-mnist-784-euclidean");
        Directory.CreateDirectory(folder);
        var basePath = Path.Combine(folder, "base.fvecs");
        if (!File.Exists(basePath))
        {
            var bytes = new MemoryStream();
            foreach (var part in new[] { "base.part0.bvecs.gz", "base.part1.bvecs.gz" })
            {
                using var gzip = new GZipStream(File.OpenRead(Path.Combine(source, part)), CompressionMode.Decompress);
                gzip.CopyTo(bytes);
            }

            var raw = bytes.ToArray();
            var d = BitConverter.ToInt32(raw, 0);
            var n = raw.Length / (4 + d);
            var rows = new float[n * d];
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < d; j++)
                {
                    rows[(i * d) + j] = raw[(i * (4 + d)) + 4 + j];
                }
            }

            VectorFiles.WriteFvecs(basePath, rows, d);
            File.Copy(Path.Combine(source, "query.fvecs"), Path.Combine(folder, "query.fvecs"), overwrite: true);
            File.Copy(Path.Combine(source, "groundtruth.ivecs"), Path.Combine(folder, "groundtruth.ivecs"), overwrite: true);
        }

        var (b, dims) = VectorFiles.ReadFvecs(basePath);
        var (q, _) = VectorFiles.ReadFvecs(Path.Combine(folder, "query.fvecs"));
        return new AnnDataset("fashion-mnist-784-euclidean", DistanceMetric.Euclidean, b, q, dims, VectorFiles.ReadIvecs(Path.Combine(folder, "groundtruth.ivecs")));
    }

    public static int[][] ExactTopK(float[] rows, float[] queries, int d, DistanceMetric metric, int k)
    {
        var n = queries.Length / d;
        var result = new int[n][];
        var done = 0;
        Parallel.For(0, n, i =>
        {
            var hits = Core.Selection.ExactSearch.Search(rows, d, queries.AsSpan(i * d, d), k, metric);
            result[i] = hits.Select(h => h.Index).ToArray();
            if (Interlocked.Increment(ref done) % 1000 == 0)
            {
                Console.Error.WriteLine($"  {done}/{n}");
            }
        });
        return result;
    }

    /// <summary>The dataset a benchmark verb names: --dataset glove|fashion, --cache (default bench/.cache), --data for fashion.</summary>
    public static AnnDataset Load(Args options)
    {
        var cache = options.Get("cache", "bench/.cache");
        return options.Get("dataset", "glove") switch
        {
            "glove" => Glove(cache),
            "fashion" => FashionMnist(options.Get("data", "../shared/data"), cache),
            var other => throw new ArgumentException($"unknown dataset '{other}' (glove or fashion)"),
        };
    }

    public double Recall(int query, IReadOnlyList<int> found, int k)
    {
        var truth = new HashSet<int>(GroundTruth[query].Take(k));
        return found.Take(k).Count(truth.Contains) / (double)k;
    }
}
