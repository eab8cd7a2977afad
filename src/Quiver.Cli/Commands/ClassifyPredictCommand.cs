using System.CommandLine;
using Microsoft.Extensions.AI;
using Quiver.Analysis.Classification;
using Quiver.Catalogue;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Ingestion.Records;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver classify predict NAME "text"…</c>: the most probable labels of texts under a saved classifier.</summary>
internal static class ClassifyPredictCommand
{
    private const int Batch = 64;

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "A saved classifier (quiver classify list)" };
        var texts = new Argument<string[]>("texts") { Description = "Texts to classify", Arity = ArgumentArity.ZeroOrMore };
        var input = new Option<FileInfo?>("--input", "-i") { Description = "Classify the texts of a file too: .txt (one per line), .csv or .jsonl (--text-column)" };
        var textColumn = new Option<string>("--text-column") { Description = "The CSV column (JSONL field) of --input that holds each text", DefaultValueFactory = _ => "text" };
        var top = new Option<int>("--top", "-k") { Description = "Labels to show per text, most probable first", DefaultValueFactory = _ => 3 }.AtLeast(1, "3");
        var model = new Option<string?>("--model", "-m") { Description = "Model that embeds the texts (default: the one the classifier was trained with; another model's vectors are refused)" };
        var command = new Command(
            "predict",
            "Label texts with a saved classifier: each text's most probable labels and their probabilities.\n\n" +
            "Examples:\n" +
            "  quiver classify predict qtype \"Who wrote Moby Dick?\" \"How far is the Moon?\"\n" +
            "  quiver classify predict qtype --input questions.txt --top 1 --json")
        {
            name, texts, input, textColumn, top, model,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var saved = ClassifierStore.FromPaths(context.Paths).Open(result.GetValue(name)!);
            var all = ReadTexts(result.GetValue(texts) ?? [], result.GetValue(input)?.FullName, result.GetValue(textColumn)!);
            var modelName = result.GetValue(model) ?? saved.Manifest.Model;
            using var generator = InstalledModels.OpenTextGenerator(context.Paths, modelName, saved.Manifest.Pooling, role: TextRole.Document);
            saved.RequireSpace(generator.GetService<EmbeddingSpace>()!);

            var dimensions = saved.Classifier.Dimensions;
            var vectors = new float[(long)all.Count * dimensions];
            for (var start = 0; start < all.Count; start += Batch)
            {
                var batch = all.Skip(start).Take(Batch).ToList();
                var embeddings = await generator.GenerateAsync(batch, cancellationToken: cancellationToken);
                for (var j = 0; j < batch.Count; j++)
                {
                    embeddings[j].Vector.Span.CopyTo(vectors.AsSpan((start + j) * dimensions, dimensions));
                }

                if (all.Count > Batch)
                {
                    context.Note($"embedded {Math.Min(start + Batch, all.Count):N0}/{all.Count:N0} texts");
                }
            }

            var probabilities = saved.Classifier.PredictAll(vectors, cancellationToken: cancellationToken);
            var shown = result.GetValue(top);
            var ranked = probabilities.Select(p => VectorClassifiers.Top(saved.Classifier.Classes, p, shown)).ToList();
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new
                {
                    Classifier = saved.Manifest.Name,
                    Model = modelName,
                    Predictions = all.Select((text, i) => new { Text = text, ranked[i][0].Label, ranked[i][0].Probability, Top = ranked[i] }),
                });
                return 0;
            }

            var table = new Table().AddColumns("text", "label", "probability", "next");
            for (var i = 0; i < all.Count; i++)
            {
                var text = all[i].ReplaceLineEndings(" ");
                table.AddRow(
                    Markup.Escape(text.Length <= 80 ? text : text[..79] + "…"),
                    Markup.Escape(ranked[i][0].Label),
                    $"{ranked[i][0].Probability:F3}",
                    Markup.Escape(string.Join(", ", ranked[i].Skip(1).Select(p => $"{p.Label} {p.Probability:F3}"))));
            }

            context.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static List<string> ReadTexts(string[] arguments, string? path, string column)
    {
        var all = new List<(string Where, string Text)>(arguments.Select((t, i) => ($"text {i + 1}", t)));
        if (path is not null)
        {
            if (!File.Exists(path))
            {
                throw new QuiverException($"The input file '{path}' does not exist.");
            }

            using var reader = TextRecordReader.Open(path, TextRecordReader.FormatOf(path), new TextRecordOptions { Field = column });
            while (reader.Read() is { } record)
            {
                all.Add(($"line {record.Line:N0} of '{path}'", record.Text));
            }
        }

        if (all.Count == 0)
        {
            throw new QuiverException("Give texts to classify: as arguments (quiver classify predict NAME \"a text\") or in a file (--input FILE).");
        }

        foreach (var (where, text) in all)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new QuiverException($"The {where} is empty; a classifier needs some text to label. Remove it or fill it in.");
            }
        }

        return [.. all.Select(x => x.Text)];
    }
}
