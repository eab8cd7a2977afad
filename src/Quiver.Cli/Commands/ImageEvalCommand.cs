using System.CommandLine;
using Quiver.Analysis.Classification;
using Quiver.Analysis.Evaluation;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Quiver.Catalogue;
using Quiver.Models.Images;
using SkiaSharp;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>
/// <c>quiver eval images</c>: leave-one-out k-NN accuracy (cosine) of an image model's embeddings on Fashion-MNIST
/// (500 labelled PNGs) and scikit-learn's 1,797 digits, beside the same k-NN on raw pixels.
/// </summary>
internal static class ImageEvalCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder holding images/fashion-mnist and images/sklearn-digits", DefaultValueFactory = _ => new DirectoryInfo("../shared/data") };
        var model = new Option<string>("--model", "-m") { Description = "Installed image model", DefaultValueFactory = _ => ModelCatalogue.DefaultImageModel };
        var k = new Option<int>("-k") { Description = "Neighbours that vote", DefaultValueFactory = _ => 5 }.AtLeast(1, "5");
        var command = new Command(
            "images",
            "Image-embedding quality: leave-one-out k-nearest-neighbour accuracy (cosine) on Fashion-MNIST and the scikit-learn digits, " +
            "next to the same classifier on raw pixels.\n\nExample: quiver eval images --data ../shared/data --model mobilenet-v2")
        {
            data, model, k,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var root = result.GetValue(data)!.FullName;
            var fashionFile = Path.Combine(root, "images", "fashion-mnist", "labels.csv");
            var digitsFile = Path.Combine(root, "images", "sklearn-digits", "digits.csv.gz");
            if (!File.Exists(fashionFile) || !File.Exists(digitsFile))
            {
                throw new QuiverException(
                    $"The evaluation data is not at {root}: expected images/fashion-mnist/labels.csv and images/sklearn-digits/digits.csv.gz. Pass --data <folder>.");
            }

            var neighbours = result.GetValue(k);
            var imageModel = InstalledModels.OpenImage(context.Paths, result.GetValue(model)!);
            using var encoder = imageModel.CreateEncoder();
            var rows = new List<ImageEvalRow>();

            var fashion = EvaluationData.ReadImageLabels(fashionFile);
            context.Note($"embedding {fashion.Count} Fashion-MNIST images with {imageModel.Name}");
            var fashionImages = new List<(ReadOnlyMemory<byte>, string)>();
            foreach (var (path, _) in fashion)
            {
                fashionImages.Add((await File.ReadAllBytesAsync(path, cancellationToken), path));
            }

            var raw = new ImagePreprocessor(new ImagePreprocessingOptions { Width = 28, Height = 28, PixelDivisor = 255f });
            var fashionRaw = fashionImages.Select(i => raw.Preprocess(i.Item1.Span, i.Item2)).ToList();
            var fashionEmbedded = encoder.Embed(fashionImages, cancellationToken).Select(e => e.Vector).ToList();
            var fashionLabels = fashion.Select(f => f.Label).ToList();
            rows.Add(Row("fashion-mnist (500, 28x28 grey)", fashionEmbedded, fashionRaw, fashionLabels, neighbours));

            var digits = EvaluationData.ReadDigits(digitsFile);
            context.Note($"embedding {digits.Count} digits with {imageModel.Name}");
            var digitImages = digits.Select((d, i) => ((ReadOnlyMemory<byte>)GreyPng(d.Pixels, 8, 8), $"digit {i}")).ToList();
            var digitsEmbedded = encoder.Embed(digitImages, cancellationToken).Select(e => e.Vector).ToList();
            var digitsRaw = digits.Select(d => d.Pixels.Select(p => (float)p).ToArray()).ToList();
            rows.Add(Row("sklearn-digits (1,797, 8x8 grey)", digitsEmbedded, digitsRaw, digits.Select(d => d.Label).ToList(), neighbours));

            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new { Model = imageModel.Name, K = neighbours, Results = rows });
                return 0;
            }

            var table = new Table().AddColumns("data set", "items", $"{imageModel.Name} accuracy", "raw pixels accuracy");
            foreach (var r in rows)
            {
                table.AddRow(Markup.Escape(r.DataSet), r.Items.ToString("N0"), r.EmbeddingAccuracy.ToString("P2"), r.RawPixelAccuracy.ToString("P2"));
            }

            context.Console.Write(table);
            context.Console.MarkupLine($"[grey]leave-one-out {neighbours}-NN by cosine; {imageModel.Name} vectors are {encoder.Dimensions}-d[/]");
            return 0;
        });
        return command;
    }

    private static ImageEvalRow Row(string name, List<float[]> embedded, List<float[]> raw, List<int> labels, int k) => new(
        name,
        labels.Count,
        NearestNeighbourClassifier.LeaveOneOutAccuracy(embedded, labels, k),
        NearestNeighbourClassifier.LeaveOneOutAccuracy(raw, labels, k));

    private sealed record ImageEvalRow(string DataSet, int Items, double EmbeddingAccuracy, double RawPixelAccuracy);

    /// <summary>A grey image (values 0-16, as the digits hold) as PNG bytes, so it goes through the model's own preprocessing.</summary>
    private static byte[] GreyPng(byte[] values, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        var pixels = bitmap.GetPixelSpan();
        for (var i = 0; i < values.Length; i++)
        {
            pixels[i] = (byte)(values[i] * 255 / 16);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
