using System.Diagnostics;
using System.Text.Json;
using Quiver.Catalogue;

namespace Quiver.Bench;

/// <summary>
/// Quiver's side of the image benchmark (bench/images.sh runs the TensorFlow.js model on the same pixels):
///   image-embed --input labels.csv --out PREFIX [--model mobilenet-v2] [--threads 2] [--batch 32]
///     writes PREFIX.pixels.f32 (the preprocessed NHWC input, N x 224 x 224 x 3), PREFIX.f32 (N x d) and prints images/s
///   vectors-compare --ours A.f32 --theirs B.f32 --dimensions D [--normalize true]   min cosine and max |diff| row by row
///     (--normalize scales both rows to unit length before the difference, for a peer that returns raw features)
/// </summary>
internal static class Images
{
    public static void Embed(Args options)
    {
        var items = Quiver.Analysis.Evaluation.EvaluationData.ReadImageLabels(options.Get("input", "../shared/data/images/fashion-mnist/labels.csv"));
        var model = InstalledModels.OpenImage(Quiver.Core.QuiverPaths.FromEnvironment(), options.Get("model", ModelCatalogue.DefaultImageModel));
        var threads = int.Parse(options.Get("threads", "2"), System.Globalization.CultureInfo.InvariantCulture);
        var batch = int.Parse(options.Get("batch", "32"), System.Globalization.CultureInfo.InvariantCulture);
        using var encoder = model.CreateEncoder(threads, batch);
        var files = items.Select(i => ((ReadOnlyMemory<byte>)File.ReadAllBytes(i.Path), i.Path)).ToList();
        encoder.Embed(files.Take(batch).ToList());

        var clock = Stopwatch.StartNew();
        var embeddings = encoder.Embed(files);
        var seconds = clock.Elapsed.TotalSeconds;

        var prefix = options.Get("out", "bench/.cache/results/images/quiver");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(prefix))!);
        using (var pixels = new BinaryWriter(File.Create(prefix + ".pixels.f32")))
        {
            foreach (var (data, name) in files)
            {
                foreach (var value in encoder.Preprocessor.Preprocess(data.Span, name))
                {
                    pixels.Write(value);
                }
            }
        }

        using (var vectors = new BinaryWriter(File.Create(prefix + ".f32")))
        {
            foreach (var e in embeddings)
            {
                foreach (var value in e.Vector)
                {
                    vectors.Write(value);
                }
            }
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            engine = "quiver",
            model = model.Name,
            images = files.Count,
            dimensions = encoder.Dimensions,
            threads,
            batch,
            seconds,
            images_per_second = files.Count / seconds,
        }));
    }

    public static void Compare(Args options)
    {
        var d = int.Parse(options.Get("dimensions", "1280"), System.Globalization.CultureInfo.InvariantCulture);
        var a = Read(options.Get("ours", string.Empty));
        var b = Read(options.Get("theirs", string.Empty));
        var normalize = bool.Parse(options.Get("normalize", "false"));
        if (a.Length != b.Length || a.Length % d != 0)
        {
            throw new InvalidOperationException($"{a.Length} and {b.Length} floats are not the same whole number of {d}-d rows.");
        }

        double minCosine = 1, maxDiff = 0;
        var worst = -1;
        for (var r = 0; r < a.Length / d; r++)
        {
            var x = a.AsSpan(r * d, d);
            var y = b.AsSpan(r * d, d);
            if (normalize)
            {
                Quiver.Models.Pooling.TokenPooling.Normalize(x);
                Quiver.Models.Pooling.TokenPooling.Normalize(y);
            }

            var cosine = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(x, y);
            for (var j = 0; j < d; j++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(x[j] - y[j]));
            }

            if (cosine < minCosine)
            {
                minCosine = cosine;
                worst = r;
            }
        }

        Console.WriteLine(JsonSerializer.Serialize(new { rows = a.Length / d, min_cosine = minCosine, worst_row = worst, max_abs_difference = maxDiff }));
    }

    private static float[] Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
