using System.CommandLine;
using System.Diagnostics;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Quiver.Catalogue;
using Quiver.Catalogue.Import;
using Quiver.Training.Corpus;
using Quiver.Training.GloVe;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>
/// <c>glove CORPUS -o NAME</c>: trains GloVe vectors on a tokenised text file and installs them as word model NAME,
/// ready for <c>similar</c>, <c>analogy</c> and <c>eval words</c>. Meant as a sub-command of <c>quiver train</c>.
/// </summary>
internal static class GloVeTrainCommand
{
    public static Command Create(CliContext context)
    {
        var defaults = new GloVeOptions();
        var corpus = new Argument<FileInfo>("corpus") { Description = "A tokenised text file: words separated by spaces, one sentence or paragraph per line" };
        var output = TrainCommands.OutputName();
        var dimensions = new Option<int>("--dim") { Description = "Vector dimensions", DefaultValueFactory = _ => defaults.Dimensions }.AtLeast(1, "100");
        var window = new Option<int>("--window") { Description = "Context words counted on each side", DefaultValueFactory = _ => defaults.Window }.AtLeast(1, "10");
        var xMax = new Option<double>("--x-max") { Description = "Co-occurrence count that gets full weight in the loss", DefaultValueFactory = _ => defaults.XMax };
        var alpha = new Option<double>("--alpha") { Description = "Exponent of the weighting function below x-max", DefaultValueFactory = _ => defaults.Alpha };
        var eta = new Option<double>("--eta") { Description = "AdaGrad's initial learning rate", DefaultValueFactory = _ => defaults.LearningRate };
        var epochs = new Option<int>("--epochs") { Description = "Training passes over the co-occurrence records", DefaultValueFactory = _ => defaults.Iterations }.AtLeast(1, "15");
        var minCount = new Option<int>("--min-count") { Description = "Leave out words seen fewer times", DefaultValueFactory = _ => defaults.MinCount };
        var maxVocabulary = new Option<int>("--max-vocab") { Description = "Keep at most this many of the most frequent words (0: all)", DefaultValueFactory = _ => defaults.MaxVocabulary }.AtLeast(0, "100000");
        var threads = new Option<int>("--threads") { Description = "Counting and training threads (only 1 thread is exactly reproducible)", DefaultValueFactory = _ => defaults.Threads }.AtLeast(1, "2");
        var seed = new Option<int>("--seed") { Description = "Seed for the initial vectors and the shuffle", DefaultValueFactory = _ => defaults.Seed };
        var memory = new Option<double>("--memory-mib") { Description = "Memory for counting and shuffling; beyond it counts spill to sorted runs on disk", DefaultValueFactory = _ => defaults.MemoryMiB };
        var temporary = new Option<DirectoryInfo?>("--temp") { Description = "Folder for the scratch files (default: the system temp folder); they are deleted afterwards" };
        var saveText = new Option<FileInfo?>("--save-text") { Description = "Also save the vectors as GloVe text (word and numbers per line, no header)" };
        var force = TrainCommands.Force();
        var command = new Command(
            "glove",
            "Train GloVe word vectors (Pennington et al., 2014) as Stanford's glove tool does: 1/distance-weighted co-occurrence " +
            "counts in bounded memory, weighted least squares fitted with AdaGrad, word plus context vectors. The result is " +
            "installed as a word model.\n\n" +
            "Example: quiver train glove corpus.tok.txt -o my-glove --dim 100 --window 10 --epochs 20 --threads 2")
        {
            corpus, output, dimensions, window, xMax, alpha, eta, epochs, minCount, maxVocabulary, threads, seed, memory, temporary, saveText, force,
        };
        command.SetAction(result =>
        {
            var name = result.GetValue(output)!;
            var forced = result.GetValue(force);
            TrainCommands.CheckFreeName(context, name, forced);

            var options = new GloVeOptions
            {
                Dimensions = result.GetValue(dimensions),
                Window = result.GetValue(window),
                XMax = result.GetValue(xMax),
                Alpha = result.GetValue(alpha),
                LearningRate = result.GetValue(eta),
                Iterations = result.GetValue(epochs),
                MinCount = result.GetValue(minCount),
                MaxVocabulary = result.GetValue(maxVocabulary),
                Threads = result.GetValue(threads),
                Seed = result.GetValue(seed),
                MemoryMiB = result.GetValue(memory),
            };
            options.Validate();
            var source = new TextFileCorpus(result.GetValue(corpus)!.FullName);
            var scratch = result.GetValue(temporary)?.FullName ?? Path.GetTempPath();
            var clock = Stopwatch.StartNew();
            var trained = Train(context, source, options, scratch);
            var trainSeconds = clock.Elapsed.TotalSeconds;
            foreach (var (cost, i) in trained.Costs.Select((c, i) => (c, i + 1)))
            {
                context.Note($"iteration {i}/{trained.Costs.Count}: cost {cost:F6}");
            }

            // Installing goes through the same registration as `quiver models install NAME --file F`, from memory.
            var installer = new ModelInstaller(context.Paths);
            var installProgress = new SynchronousProgress<InstallProgress>(p => context.Note(p.Stage));
            var textFile = result.GetValue(saveText)?.FullName;
            if (textFile is not null)
            {
                WordVectorWriter.WriteText(textFile, trained.Vectors, header: false);
            }

            var manifest = installer.InstallVectors(
                name, trained.Vectors, $"GloVe {trained.Vectors.Dimensions}-d trained on {Path.GetFileName(source.Path)}", TrainCommands.TrainedSource(source.Path), forced, installProgress);

            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new
                {
                    Model = manifest.Name,
                    manifest.Revision,
                    Words = trained.Vectors.Count,
                    trained.Vectors.Dimensions,
                    trained.Tokens,
                    trained.Cooccurrences,
                    SpilledRuns = trained.Runs,
                    trained.ShuffledOnDisk,
                    trained.Costs,
                    TrainSeconds = trainSeconds,
                    TotalSeconds = clock.Elapsed.TotalSeconds,
                    PeakWorkingSetBytes = peak,
                    Options = options,
                    SavedText = textFile,
                });
            }
            else
            {
                context.Console.MarkupLine(
                    $"[green]trained[/] {Markup.Escape(manifest.Name)}: {trained.Vectors.Count:N0} words × {trained.Vectors.Dimensions}-d from {trained.Tokens:N0} tokens, " +
                    $"{trained.Cooccurrences:N0} co-occurrence records ({trained.Runs} runs{(trained.ShuffledOnDisk ? ", shuffled on disk" : string.Empty)}), " +
                    $"final cost {trained.Costs[^1]:F6}, {trainSeconds:F1} s, peak memory {peak / 1048576.0:N0} MiB; installed (revision {manifest.Revision[..12]})");
                context.Console.MarkupLine($"[grey]try: quiver similar <word> --model {Markup.Escape(manifest.Name)}[/]");
            }

            return 0;
        });
        return command;
    }

    private static GloVeResult Train(CliContext context, TextFileCorpus corpus, GloVeOptions options, string scratch) =>
        context.ErrorConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progressContext =>
            {
                var task = progressContext.AddTask("reading the vocabulary", maxValue: 1);
                var progress = new SynchronousProgress<GloVeProgress>(p =>
                {
                    switch (p.Stage)
                    {
                        case GloVeStage.Training:
                            // One bar for the whole training, so its remaining time covers every pass.
                            task.MaxValue = Math.Max(1, (double)p.Total * p.Iterations);
                            task.Value = ((double)(p.Iteration - 1) * p.Total) + p.Done;
                            task.Description = Markup.Escape(
                                $"iteration {p.Iteration}/{p.Iterations} · {p.RecordsPerSecond / 1e6:F2}M records/s" +
                                (double.IsNaN(p.Cost) ? string.Empty : $" · cost {p.Cost:F5}"));
                            break;
                        case GloVeStage.Vocabulary or GloVeStage.Counting:
                            task.MaxValue = 1;
                            task.Value = 0;
                            task.Description = Markup.Escape($"{(p.Stage == GloVeStage.Vocabulary ? "counting words" : "counting co-occurrences")}: {p.Done:N0} tokens");
                            break;
                        default:
                            task.MaxValue = Math.Max(1, p.Total);
                            task.Value = p.Done;
                            task.Description = Markup.Escape($"{p.Stage.ToString().ToLowerInvariant()}: {p.Done:N0} records");
                            break;
                    }
                });
                var trained = GloVeTrainer.Train(corpus, options, scratch, progress);
                task.Value = task.MaxValue;
                return trained;
            });
}
