using System.CommandLine;
using Quiver.Analysis.Classification;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver classify train|predict|list</c>: classifiers trained on embeddings, saved and reused.</summary>
internal static class ClassifyCommands
{
    public static Command Create(CliContext context)
    {
        var classify = new Command(
            "classify",
            "Train a classifier on the embeddings of labelled texts, save it, and label new texts with it.\n\n" +
            "Examples:\n" +
            "  quiver classify train questions.csv -m all-minilm-l6-v2 -o qtype\n" +
            "  quiver classify predict qtype \"Who wrote Moby Dick?\"\n" +
            "  quiver classify list");
        classify.Subcommands.Add(ClassifyTrainCommand.Create(context));
        classify.Subcommands.Add(ClassifyPredictCommand.Create(context));
        classify.Subcommands.Add(List(context));
        return classify;
    }

    private static Command List(CliContext context)
    {
        var command = new Command("list", "The saved classifiers: method, model, classes and training rows.\n\nExample: quiver classify list --json");
        command.SetAction(result =>
        {
            var store = ClassifierStore.FromPaths(context.Paths);
            var manifests = store.List();
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(manifests.Select(m => new
                {
                    m.Name,
                    Method = Name(m.Method),
                    m.Model,
                    Space = m.Space.ToString(),
                    m.Classes,
                    Rows = m.ClassCounts.Sum(),
                    m.C,
                    m.K,
                    m.Source,
                    m.CreatedAt,
                }));
                return 0;
            }

            if (manifests.Count == 0)
            {
                context.Console.MarkupLine($"[grey]no classifiers in {Markup.Escape(store.Folder)}; train one with quiver classify train FILE.csv -m MODEL -o NAME[/]");
                return 0;
            }

            var table = new Table().AddColumns("name", "method", "model", "classes", "rows", "trained on", "created");
            foreach (var m in manifests)
            {
                var classes = string.Join(", ", m.Classes.Take(6)) + (m.Classes.Count > 6 ? $", … ({m.Classes.Count})" : string.Empty);
                table.AddRow(Markup.Escape(m.Name), Name(m.Method), Markup.Escape(m.Model), Markup.Escape(classes), m.ClassCounts.Sum().ToString("N0"), Markup.Escape(m.Source ?? string.Empty), m.CreatedAt.ToString("yyyy-MM-dd HH:mm"));
            }

            context.Console.Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>The method's name on the command line.</summary>
    public static string Name(ClassifierMethod method) => method switch
    {
        ClassifierMethod.Logistic => "logistic",
        ClassifierMethod.Knn => "knn",
        _ => "zero-shot",
    };

    /// <summary>The method a command-line name stands for.</summary>
    public static ClassifierMethod Parse(string name, bool allowZeroShot) => name.Trim().ToLowerInvariant() switch
    {
        "logistic" => ClassifierMethod.Logistic,
        "knn" => ClassifierMethod.Knn,
        "zero-shot" when allowZeroShot => ClassifierMethod.ZeroShot,
        _ => throw new Quiver.Core.QuiverException(
            $"--method: '{name}' is not a classification method (expected {(allowZeroShot ? "logistic, knn or zero-shot, comma-separated" : "logistic or knn")}, e.g. --method logistic)."),
    };
}
