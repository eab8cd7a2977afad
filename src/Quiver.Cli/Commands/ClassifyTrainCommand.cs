using System.CommandLine;
using System.Diagnostics;
using Quiver.Analysis.Classification;
using Quiver.Cli.Analysis;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver classify train FILE.csv -m MODEL -o NAME</c>: embed labelled texts, fit a classifier, save it.</summary>
internal static class ClassifyTrainCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "A .csv or .jsonl file with a text and a label per row" };
        var input = new AnalysisInput(context);
        var output = new Option<string>("--output", "-o") { Description = "Name to save the classifier under (in QUIVER_HOME/classifiers)", Required = true };
        var method = new Option<string>("--method") { Description = "logistic (multinomial logistic regression, L2) or knn (k nearest by cosine)", DefaultValueFactory = _ => "logistic" };
        var c = new Option<double>("--c") { Description = "Logistic regression: inverse L2 strength, as scikit-learn's C (smaller regularises more)", DefaultValueFactory = _ => 1.0 }.AtLeast(1e-12, "1.0");
        var k = new Option<int>("--neighbours", "-k") { Description = "kNN: neighbours that vote", DefaultValueFactory = _ => 5 }.AtLeast(1, "5");
        var force = new Option<bool>("--force") { Description = "Replace a classifier of the same name" };
        var command = new Command(
            "train",
            "Embed the texts of a labelled CSV or JSONL file with a model, fit a classifier to them and save it, bound to the model's embedding space.\n\n" +
            "Examples:\n" +
            "  quiver classify train questions.csv -m all-minilm-l6-v2 -o qtype\n" +
            "  quiver classify train intents.jsonl --text-column utterance --label-column intent -m glove-100 -o intents --method knn -k 10")
        {
            file, output, method, c, k, force, input.TextColumn, input.LabelColumn, input.Model, input.Pooling,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var name = result.GetValue(output)!;
            ResourceName.Validate(name, "classifier");
            var store = ClassifierStore.FromPaths(context.Paths);
            var replace = result.GetValue(force);
            if (store.Exists(name) && !replace)
            {
                throw new QuiverException($"A classifier named '{name}' already exists in {store.Folder}. Choose another name with -o, or replace it with --force.");
            }

            var chosen = ClassifyCommands.Parse(result.GetValue(method)!, allowZeroShot: false);
            var model = result.GetValue(input.Model)!;
            var pooling = result.GetValue(input.Pooling);
            var path = result.GetValue(file)!.FullName;
            var data = await input.LoadFileAsync(path, result.GetValue(input.TextColumn)!, result.GetValue(input.LabelColumn), model, pooling, refuseEmptyTexts: true, cancellationToken);
            var (codes, classes) = data.RequireLabels("Training a classifier");
            var labelled = new LabelledVectors(data.Vectors, data.Dimensions, codes, classes);
            context.Note($"fitting {ClassifyCommands.Name(chosen)} on {labelled.Count:N0} vectors of {classes.Count} classes");
            var clock = Stopwatch.StartNew();
            IVectorClassifier classifier = chosen == ClassifierMethod.Logistic
                ? LogisticRegression.Fit(labelled, new LogisticRegressionOptions { C = result.GetValue(c) }, cancellationToken)
                : KnnClassifier.Fit(labelled, result.GetValue(k));
            var seconds = clock.Elapsed.TotalSeconds;
            var training = ClassificationScores.Compute(codes, VectorClassifiers.Decide(classifier.PredictAll(labelled.Vectors, cancellationToken: cancellationToken)), classes.Count);
            var manifest = store.Save(
                new ClassifierManifest
                {
                    Name = name,
                    Method = chosen,
                    Model = model,
                    Pooling = pooling,
                    Space = data.Space!,
                    Classes = classes,
                    ClassCounts = labelled.ClassCounts(),
                    C = chosen == ClassifierMethod.Logistic ? result.GetValue(c) : null,
                    K = chosen == ClassifierMethod.Knn ? result.GetValue(k) : null,
                    Source = Path.GetFileName(path),
                },
                classifier,
                replace);
            var iterations = (classifier as LogisticRegressionModel)?.Iterations;
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new
                {
                    manifest.Name,
                    Method = ClassifyCommands.Name(chosen),
                    Model = model,
                    Space = manifest.Space.ToString(),
                    Rows = labelled.Count,
                    data.Skipped,
                    manifest.Classes,
                    manifest.ClassCounts,
                    Iterations = iterations,
                    TrainSeconds = seconds,
                    TrainingAccuracy = training.Accuracy,
                    TrainingMacroF1 = training.MacroF1,
                    Folder = Path.Combine(store.Folder, name),
                });
                return 0;
            }

            context.Console.MarkupLine(Markup.Escape(
                $"saved classifier '{name}': {ClassifyCommands.Name(chosen)} on {labelled.Count:N0} texts of {classes.Count} classes ({data.Source})" +
                (iterations is { } n ? $", {n} L-BFGS iterations" : string.Empty) + $", {seconds:F1} s"));
            context.Console.MarkupLine(Markup.Escape(
                $"on its own training rows: accuracy {training.Accuracy:F4}, macro-F1 {training.MacroF1:F4} (quiver eval classify {Path.GetFileName(path)} -m {model} cross-validates)"));
            return 0;
        });
        return command;
    }
}
