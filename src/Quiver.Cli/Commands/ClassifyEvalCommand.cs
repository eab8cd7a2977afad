using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Quiver.Analysis.Classification;
using Quiver.Catalogue;
using Quiver.Cli.Analysis;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Quiver.Core.Npy;
using Quiver.Core.Spaces;
using Quiver.Ingestion.Records;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>
/// <c>quiver eval classify FILE.csv [--test FILE.csv]</c>: accuracy and macro-F1 of logistic regression, kNN and
/// zero-shot classification on a model's embeddings, by stratified k-fold cross-validation or on a test file.
/// </summary>
internal static class ClassifyEvalCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "A .csv or .jsonl file with a text and a label per row (the training rows)" };
        var input = new AnalysisInput(context);
        var test = new Option<FileInfo?>("--test") { Description = "Score on this file's rows, trained on FILE's (default: stratified k-fold cross-validation on FILE)" };
        var methods = new Option<string>("--method") { Description = "Methods to score, comma-separated: logistic, knn, zero-shot", DefaultValueFactory = _ => "logistic,knn,zero-shot" };
        var folds = new Option<int>("--folds") { Description = "Folds of the cross-validation (without --test)", DefaultValueFactory = _ => 5 }.AtLeast(2, "5");
        var c = new Option<double>("--c") { Description = "Logistic regression: inverse L2 strength, as scikit-learn's C", DefaultValueFactory = _ => 1.0 }.AtLeast(1e-12, "1.0");
        var k = new Option<int>("--neighbours", "-k") { Description = "kNN: neighbours that vote", DefaultValueFactory = _ => 5 }.AtLeast(1, "5");
        var template = new Option<string>("--template") { Description = "Zero-shot: the prompt each label is embedded in, {label} standing for the label (underscores read as spaces)", DefaultValueFactory = _ => ZeroShotClassifier.DefaultTemplate };
        var descriptions = new Option<FileInfo?>("--descriptions") { Description = "Zero-shot: a CSV with columns label,description giving the text to embed for some or all labels (instead of --template)" };
        var temperature = new Option<double>("--temperature") { Description = "Zero-shot: softmax temperature over cosines (changes probabilities, not the ranking)", DefaultValueFactory = _ => ZeroShotClassifier.DefaultTemperature }.AtLeast(1e-6, "0.01");
        var maxRows = new Option<int>("--max-rows") { Description = "Use at most this many training rows, a seeded random sample (0 = all), for slow machines; the test file is never cut", DefaultValueFactory = _ => 0 }.AtLeast(0, "2000");
        var seed = new Option<int>("--seed") { Description = "Seed of the folds and of --max-rows's sample", DefaultValueFactory = _ => 42 };
        var save = new Option<DirectoryInfo?>("--save-vectors") { Description = "Write the vectors and labels scored here (train.npy, train-labels.txt, folds.txt or test.npy, test-labels.txt, label-vectors.npy), for a peer to score the same vectors" };
        var command = new Command(
            "classify",
            "Accuracy and macro-F1 of classifiers on a model's embeddings of labelled texts: logistic regression (softmax, L2), " +
            "k nearest neighbours and zero-shot (cosine to an embedded description of each label), by stratified k-fold " +
            "cross-validation, or trained on FILE and scored on --test.\n\n" +
            "Examples:\n" +
            "  quiver eval classify ../shared/data/labelled/trec/train.csv -m all-minilm-l6-v2\n" +
            "  quiver eval classify ../shared/data/labelled/sst2/train.csv --test ../shared/data/labelled/sst2/dev.csv -m use-lite --method logistic,knn --json")
        {
            file, test, methods, folds, c, k, template, descriptions, temperature, maxRows, seed, save, input.TextColumn, input.LabelColumn, input.Model, input.Pooling,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var chosen = result.GetValue(methods)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(m => ClassifyCommands.Parse(m, allowZeroShot: true)).Distinct().ToList();
            if (chosen.Count == 0)
            {
                throw new QuiverException("--method: name at least one method (logistic, knn or zero-shot), e.g. --method logistic,knn.");
            }

            var model = result.GetValue(input.Model)!;
            var pooling = result.GetValue(input.Pooling);
            var textColumn = result.GetValue(input.TextColumn)!;
            var labelColumn = result.GetValue(input.LabelColumn);
            var describedBy = result.GetValue(descriptions) is { } d ? ReadDescriptions(d.FullName) : null;
            var trainData = await input.LoadFileAsync(result.GetValue(file)!.FullName, textColumn, labelColumn, model, pooling, refuseEmptyTexts: true, cancellationToken);
            var (trainCodes, classes) = trainData.RequireLabels("Evaluating classifiers");
            var train = new LabelledVectors(trainData.Vectors, trainData.Dimensions, trainCodes, classes);
            var cap = result.GetValue(maxRows);
            var seedValue = result.GetValue(seed);
            if (cap > 0 && cap < train.Count)
            {
                var random = new Random(seedValue);
                train = train.Subset([.. Enumerable.Range(0, train.Count).OrderBy(_ => random.Next()).Take(cap).Order()]);
                context.Note($"using {cap:N0} of {trainData.Count:N0} training rows (--max-rows)");
            }

            train.RequireTrainable(trainData.Source);
            LabelledVectors? testSet = null;
            if (result.GetValue(test) is { } testFile)
            {
                var testData = await input.LoadFileAsync(testFile.FullName, textColumn, labelColumn, model, pooling, refuseEmptyTexts: true, cancellationToken);
                testSet = new LabelledVectors(testData.Vectors, testData.Dimensions, TestCodes(testData, classes), classes);
            }

            var foldOf = testSet is null ? StratifiedFolds.Assign(train.Labels, classes.Count, result.GetValue(folds), seedValue) : null;
            float[]? labelVectors = null;
            if (chosen.Contains(ClassifierMethod.ZeroShot))
            {
                var prompts = classes.Select(l => describedBy?.GetValueOrDefault(l) ?? ZeroShotClassifier.Describe(l, result.GetValue(template)!)).ToList();
                labelVectors = await EmbedPrompts(context, model, pooling, prompts, trainData.Space!, cancellationToken);
            }

            var scored = new List<MethodScore>();
            foreach (var method in chosen)
            {
                context.Note($"scoring {ClassifyCommands.Name(method)}" + (foldOf is null ? " on the test rows" : method == ClassifierMethod.ZeroShot ? " on every row" : $" by {foldOf.Max() + 1}-fold cross-validation"));
                Func<LabelledVectors, IVectorClassifier> fit = method switch
                {
                    ClassifierMethod.Logistic => rows => LogisticRegression.Fit(rows, new LogisticRegressionOptions { C = result.GetValue(c) }, cancellationToken),
                    ClassifierMethod.Knn => rows => KnnClassifier.Fit(rows, result.GetValue(k)),
                    _ => _ => new ZeroShotClassifier(classes, train.Dimensions, labelVectors!, result.GetValue(temperature)),
                };
                scored.Add(Score(method, fit, train, testSet, foldOf, cancellationToken));
            }

            if (result.GetValue(save) is { } folder)
            {
                Save(folder.FullName, train, testSet, foldOf, labelVectors);
            }

            var source = trainData.Source + (testSet is null ? string.Empty : $", tested on {testSet.Count:N0} rows");
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new
                {
                    Source = source,
                    Model = model,
                    Space = trainData.Space!.ToString(),
                    Rows = train.Count,
                    TestRows = testSet?.Count,
                    trainData.Skipped,
                    Classes = classes.Count,
                    Folds = foldOf is null ? (int?)null : foldOf.Max() + 1,
                    Methods = scored.Select(s => new { Method = ClassifyCommands.Name(s.Method), s.Scores.Accuracy, MacroF1 = s.Scores.MacroF1, s.TrainSeconds }),
                });
                return 0;
            }

            var table = new Table().AddColumns("method", "accuracy", "macro-F1", "training s");
            foreach (var s in scored)
            {
                table.AddRow(ClassifyCommands.Name(s.Method), $"{s.Scores.Accuracy:F4}", $"{s.Scores.MacroF1:F4}", s.Method == ClassifierMethod.ZeroShot ? "—" : $"{s.TrainSeconds:F2}");
            }

            context.Console.Write(table);
            context.Console.MarkupLine(Markup.Escape(
                $"{train.Count:N0} rows of {classes.Count} classes from {source}; " +
                (foldOf is null ? "trained on FILE, scored on --test" : $"stratified {foldOf.Max() + 1}-fold cross-validation (seed {seedValue}); zero-shot scored on every row, as it trains on none")));
            return 0;
        });
        return command;
    }

    private sealed record MethodScore(ClassifierMethod Method, ClassificationScores Scores, double TrainSeconds);

    private static MethodScore Score(ClassifierMethod method, Func<LabelledVectors, IVectorClassifier> fit, LabelledVectors train, LabelledVectors? test, int[]? folds, CancellationToken cancellationToken)
    {
        if (test is null && method != ClassifierMethod.ZeroShot)
        {
            var validated = CrossValidation.Run(train, folds!, fit, cancellationToken: cancellationToken);
            return new MethodScore(method, validated.Scores, validated.Training.TotalSeconds);
        }

        var scoredOn = test ?? train;
        var clock = Stopwatch.StartNew();
        var classifier = fit(train);
        var seconds = clock.Elapsed.TotalSeconds;
        var predicted = VectorClassifiers.Decide(classifier.PredictAll(scoredOn.Vectors, cancellationToken: cancellationToken));
        return new MethodScore(method, ClassificationScores.Compute(scoredOn.Labels, predicted, train.Classes.Count), seconds);
    }

    private static int[] TestCodes(AnalysisData test, IReadOnlyList<string> classes)
    {
        if (test.Labels is null)
        {
            throw new QuiverException($"{test.Source} has no label column; the test file needs the same label column as the training file (--label-column).");
        }

        var index = classes.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        return [.. test.Labels.Select((label, i) => label is not null && index.TryGetValue(label, out var code)
            ? code
            : throw new QuiverException($"Row {i + 1:N0} of {test.Source} has the label '{label}', which no training row has (training labels: {string.Join(", ", classes.Take(10))}{(classes.Count > 10 ? ", …" : string.Empty)}). A classifier cannot predict a label it never saw; remove such rows."))];
    }

    // Label prompts are embedded as documents, as the texts are, by the same model; their space must be the texts'.
    private static async Task<float[]> EmbedPrompts(CliContext context, string model, string? pooling, List<string> prompts, EmbeddingSpace space, CancellationToken cancellationToken)
    {
        using var generator = InstalledModels.OpenTextGenerator(context.Paths, model, pooling, role: TextRole.Document);
        var vectors = new float[prompts.Count * space.Dimensions];
        for (var i = 0; i < prompts.Count; i++)
        {
            var embedding = await generator.GenerateAsync([prompts[i]], cancellationToken: cancellationToken);
            embedding[0].Vector.Span.CopyTo(vectors.AsSpan(i * space.Dimensions, space.Dimensions));
        }

        return vectors;
    }

    private static Dictionary<string, string> ReadDescriptions(string path)
    {
        var columns = FileColumns.Read(path, TextRecordFormat.Csv);
        if (!columns.Contains("label") || !columns.Contains("description"))
        {
            throw new QuiverException($"'{path}' has the columns {string.Join(", ", columns)}; a descriptions file needs the columns label and description (one row per label).");
        }

        var described = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = TextRecordReader.Open(path, TextRecordFormat.Csv, new TextRecordOptions { Field = "description", IdField = "label" });
        while (reader.Read() is { } record)
        {
            described[record.Id?.GetString() ?? string.Empty] = record.Text;
        }

        return described;
    }

    private static void Save(string folder, LabelledVectors train, LabelledVectors? test, int[]? folds, float[]? labelVectors)
    {
        Directory.CreateDirectory(folder);
        WriteMatrix(Path.Combine(folder, "train.npy"), train.Vectors, train.Dimensions);
        File.WriteAllLines(Path.Combine(folder, "train-labels.txt"), train.Labels.Select(l => train.Classes[l]));
        if (folds is not null)
        {
            File.WriteAllLines(Path.Combine(folder, "folds.txt"), folds.Select(f => f.ToString(CultureInfo.InvariantCulture)));
        }

        if (test is not null)
        {
            WriteMatrix(Path.Combine(folder, "test.npy"), test.Vectors, test.Dimensions);
            File.WriteAllLines(Path.Combine(folder, "test-labels.txt"), test.Labels.Select(l => test.Classes[l]));
        }

        if (labelVectors is not null)
        {
            WriteMatrix(Path.Combine(folder, "label-vectors.npy"), labelVectors, train.Dimensions);
            File.WriteAllLines(Path.Combine(folder, "classes.txt"), train.Classes);
        }
    }

    private static void WriteMatrix(string path, float[] values, int columns)
    {
        using var writer = NpyMatrixWriter.Create(path, columns);
        for (var i = 0; i < values.Length; i += columns)
        {
            writer.Write(values.AsSpan(i, columns));
        }
    }
}
