using System.CommandLine;
using System.Security.Cryptography;
using Quiver.Core;
using Quiver.Models.Catalogue;
using Quiver.Models.Import;
using Quiver.Models.Static;
using Quiver.Training.Corpus;
using Quiver.Training.Words;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver train word2vec</c>: train embeddings on a corpus and register them as an installed model.</summary>
internal static class TrainCommands
{
    public static Command Create(CliContext context)
    {
        var train = new Command(
            "train",
            "Train embeddings on your own text and register them as an installed model (usable by similar, analogy, eval words, index).\n\n" +
            "Example: quiver train word2vec corpus.txt -o mywords && quiver similar king -m mywords");
        train.Subcommands.Add(Word2Vec(context));
        return train;
    }

    /// <summary>The settings every Word2Vec-based verb shares, defaulting to the C tool's.</summary>
    private sealed class Word2VecSettings
    {
        public readonly Option<bool> Cbow = new("--cbow") { Description = "Continuous bag of words instead of skip-gram" };
        public readonly Option<bool> Hs = new("--hs") { Description = "Hierarchical softmax (combine with --negative 0 to use it alone)" };
        public readonly Option<int> Dimensions = new("--dim") { Description = "Vector size", DefaultValueFactory = _ => 100 };
        public readonly Option<int> Window = new("--window") { Description = "Largest distance to a context word", DefaultValueFactory = _ => 5 };
        public readonly Option<int> Negative = new("--negative") { Description = "Negative samples per word (0 = none)", DefaultValueFactory = _ => 5 };
        public readonly Option<double> Sample = new("--sample") { Description = "Subsampling threshold for frequent words (0 = off)", DefaultValueFactory = _ => 1e-3 };
        public readonly Option<int> MinCount = new("--min-count") { Description = "Leave out words seen fewer times", DefaultValueFactory = _ => 5 };
        public readonly Option<int> Epochs = new("--epochs", "--iter") { Description = "Passes over the corpus", DefaultValueFactory = _ => 5 };
        public readonly Option<int> Threads = new("--threads") { Description = "Training threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        public readonly Option<float?> Alpha = new("--alpha") { Description = "Starting learning rate (default 0.025 for skip-gram, 0.05 for CBOW)" };
        public readonly Option<ulong> Seed = new("--seed") { Description = "Random seed; with --threads 1 the same seed gives the same vectors", DefaultValueFactory = _ => 1UL };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Cbow, Hs, Dimensions, Window, Negative, Sample, MinCount, Epochs, Threads, Alpha, Seed })
            {
                command.Options.Add(option);
            }
        }

        public Word2VecOptions Read(ParseResult result)
        {
            var options = new Word2VecOptions
            {
                Cbow = result.GetValue(Cbow),
                HierarchicalSoftmax = result.GetValue(Hs),
                Dimensions = result.GetValue(Dimensions),
                Window = result.GetValue(Window),
                Negative = result.GetValue(Negative),
                Sample = result.GetValue(Sample),
                MinCount = result.GetValue(MinCount),
                Epochs = result.GetValue(Epochs),
                Threads = result.GetValue(Threads),
                LearningRate = result.GetValue(Alpha),
                Seed = result.GetValue(Seed),
            };
            options.Validate();
            return options;
        }
    }

    private static Command Word2Vec(CliContext context)
    {
        var input = new Argument<FileInfo>("corpus") { Description = "A tokenised text file: words separated by spaces, one sentence per line" };
        var output = OutputName();
        var force = Force();
        var saveText = new Option<FileInfo?>("--save-text") { Description = "Also write the vectors in word2vec's text format" };
        var saveBinary = new Option<FileInfo?>("--save-binary") { Description = "Also write the vectors in word2vec's binary format (as -binary 1)" };
        var settings = new Word2VecSettings();
        var command = new Command(
            "word2vec",
            "Train Word2Vec (skip-gram by default, or --cbow; negative sampling, or --hs) on a tokenised corpus streamed from disk, " +
            "and register the vectors as model NAME.\n\n" +
            "Example: quiver train word2vec corpus.txt -o mywords --dim 100 --window 5 --sample 1e-4 --threads 2 && quiver similar whale -m mywords")
        {
            input, output, force, saveText, saveBinary,
        };
        settings.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            var name = result.GetValue(output)!;
            var options = settings.Read(result);
            var corpusFile = result.GetValue(input)!;
            CheckFreeName(context, name, result.GetValue(force));
            var corpus = new TextFileCorpus(corpusFile.FullName);
            context.Note($"counting words in {corpusFile.Name} ({corpus.Length / 1e6:F1} MB)");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var vocabulary = Vocabulary.Build(corpus, options.MinCount, options.MaxVocabulary, cancellationToken: cancellationToken);
            var vocabularyTime = clock.Elapsed;
            context.Note($"{vocabulary.Count:N0} words seen at least {options.MinCount} times, {vocabulary.TotalCount:N0} tokens ({vocabularyTime.TotalSeconds:F1} s)");
            var trained = RunWithProgress(context, $"{(options.Cbow ? "cbow" : "skip-gram")}", p =>
                Word2VecTrainer.Train(corpus, vocabulary, options, vocabularyTime, p, cancellationToken));
            var vectors = trained.Vectors;
            var description = $"word2vec {(options.Cbow ? "cbow" : "skip-gram")}{(options.HierarchicalSoftmax ? " hs" : string.Empty)} " +
                $"dim {options.Dimensions} window {options.Window} negative {options.Negative} sample {options.Sample} min-count {options.MinCount} epochs {options.Epochs}";
            SaveFiles(context, vectors, result.GetValue(saveText), result.GetValue(saveBinary));
            var manifest = Register(context, name, vectors, description, corpusFile.FullName);
            Report(context, result, manifest, trained.Summary, clock.Elapsed);
            return Task.FromResult(0);
        });
        return command;
    }

    private static Option<string> OutputName() => new("--output", "-o")
    {
        Description = "The model name to register the trained vectors under",
        Required = true,
    };

    private static Option<bool> Force() => new("--force") { Description = "Replace an installed model of that name" };

    // Fail before hours of training, not after.
    private static void CheckFreeName(CliContext context, string name, bool force)
    {
        ResourceName.Validate(name, "model");
        if (!force && InstalledModels.IsInstalled(context.Paths, name))
        {
            throw new QuiverException($"A model named '{name}' is already installed. Pass --force to replace it, or choose another name (-o).");
        }
    }

    /// <summary>Runs a training with a live bar (words/s, learning rate, ETA) on standard error.</summary>
    private static T RunWithProgress<T>(CliContext context, string label, Func<IProgress<TrainingProgress>, T> train) =>
        context.ErrorConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progressContext =>
            {
                var task = progressContext.AddTask(label, maxValue: 1);
                var progress = new SynchronousProgress<TrainingProgress>(p =>
                {
                    task.Value = p.Fraction;
                    var eta = p.Remaining is { } r ? $" · ETA {r:hh\\:mm\\:ss}" : string.Empty;
                    task.Description = Markup.Escape($"{label} · {p.WordsPerSecond / 1000:N0}k words/s · alpha {p.LearningRate:F5}{eta}");
                });
                var trained = train(progress);
                task.Value = 1;
                return trained;
            });

    private static void SaveFiles(CliContext context, WordVectors vectors, FileInfo? text, FileInfo? binary)
    {
        if (text is not null)
        {
            WordVectorWriter.WriteText(text.FullName, vectors);
            context.Note($"wrote {text.FullName} (word2vec text)");
        }

        if (binary is not null)
        {
            WordVectorWriter.WriteWord2VecBinary(binary.FullName, vectors);
            context.Note($"wrote {binary.FullName} (word2vec binary)");
        }
    }

    private static ModelManifest Register(CliContext context, string name, WordVectors vectors, string description, string corpusPath)
    {
        string hash;
        using (var stream = File.OpenRead(corpusPath))
        {
            hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        return new ModelInstaller(context.Paths).InstallVectors(
            name, vectors, description, $"trained:{corpusPath} sha256:{hash}", force: true, new SynchronousProgress<InstallProgress>(p => context.Note(p.Stage)));
    }

    private static void Report(CliContext context, ParseResult result, ModelManifest manifest, TrainingSummary summary, TimeSpan total)
    {
        if (result.GetValue(CliOptions.Json))
        {
            context.WriteJson(new
            {
                Model = manifest.Name,
                manifest.Kind,
                manifest.Dimensions,
                summary.VocabularySize,
                summary.CorpusWords,
                summary.Epochs,
                summary.WordsTrained,
                VocabularySeconds = summary.VocabularyTime.TotalSeconds,
                TrainingSeconds = summary.TrainingTime.TotalSeconds,
                summary.WordsPerSecond,
                TotalSeconds = total.TotalSeconds,
                manifest.Revision,
            });
            return;
        }

        context.Console.MarkupLine(
            $"[green]trained[/] {Markup.Escape(manifest.Name)}: {summary.VocabularySize:N0} words, {manifest.Dimensions}-d, {summary.Epochs} epochs over " +
            $"{summary.CorpusWords:N0} tokens in {summary.TrainingTime.TotalSeconds:F1} s ({summary.WordsPerSecond / 1000:N0}k words/s); " +
            $"registered as an installed model (quiver similar WORD -m {Markup.Escape(manifest.Name)})");
    }
}
