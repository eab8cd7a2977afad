using System.CommandLine;
using System.Security.Cryptography;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Quiver.Catalogue;
using Quiver.Catalogue.Import;
using Quiver.Models.Static;
using Quiver.Training.Corpus;
using Quiver.Training.Documents;
using Quiver.Training.Graphs;
using Quiver.Training.Words;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver train word2vec|fasttext|node2vec|doc2vec</c>: train embeddings and register them as an installed model.</summary>
internal static class TrainCommands
{
    public static Command Create(CliContext context)
    {
        var train = new Command(
            "train",
            "Train embeddings on your own text and register them as an installed model (usable by similar, analogy, eval words, index).\n\n" +
            "Example: quiver train word2vec corpus.txt -o mywords && quiver similar king -m mywords");
        train.Subcommands.Add(Word2Vec(context));
        train.Subcommands.Add(FastText(context));
        train.Subcommands.Add(Node2Vec(context));
        train.Subcommands.Add(Doc2Vec(context));
        train.Subcommands.Add(GloVeTrainCommand.Create(context));
        return train;
    }

    /// <summary>The settings every Word2Vec-based verb shares, defaulting to the C tool's.</summary>
    private sealed class Word2VecSettings(int dimensions = 100, int window = 5, double sample = 1e-3, int minCount = 5, int epochs = 5, string alphaDefault = "0.025 for skip-gram, 0.05 for CBOW")
    {
        public readonly Option<bool> Cbow = new("--cbow") { Description = "Continuous bag of words instead of skip-gram" };
        public readonly Option<bool> Hs = new("--hs") { Description = "Hierarchical softmax (combine with --negative 0 to use it alone)" };
        public readonly Option<int> Dimensions = new Option<int>("--dim") { Description = "Vector size", DefaultValueFactory = _ => dimensions }.AtLeast(1, "100");
        public readonly Option<int> Window = new Option<int>("--window") { Description = "Largest distance to a context word", DefaultValueFactory = _ => window }.AtLeast(1, "5");
        public readonly Option<int> Negative = new Option<int>("--negative") { Description = "Negative samples per word (0 = none)", DefaultValueFactory = _ => 5 }.AtLeast(0, "5");
        public readonly Option<double> Sample = new Option<double>("--sample") { Description = "Subsampling threshold for frequent words (0 = off)", DefaultValueFactory = _ => sample }.AtLeast(0, "0.001");
        public readonly Option<int> MinCount = new("--min-count") { Description = "Leave out words seen fewer times", DefaultValueFactory = _ => minCount };
        public readonly Option<int> Epochs = new Option<int>("--epochs", "--iter") { Description = "Passes over the corpus", DefaultValueFactory = _ => epochs }.AtLeast(1, "5");
        public readonly Option<int> Threads = new Option<int>("--threads") { Description = "Training threads", DefaultValueFactory = _ => Environment.ProcessorCount }.AtLeast(1, "2");
        public readonly Option<float?> Alpha = new("--alpha") { Description = $"Starting learning rate (default {alphaDefault})" };
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

    private static Command FastText(CliContext context)
    {
        var input = new Argument<FileInfo>("corpus") { Description = "A tokenised text file: words separated by spaces, one sentence per line" };
        var output = OutputName();
        var force = Force();
        var minN = new Option<int>("--minn") { Description = "Shortest character n-gram", DefaultValueFactory = _ => 3 }.AtLeast(1, "3");
        var maxN = new Option<int>("--maxn") { Description = "Longest character n-gram", DefaultValueFactory = _ => 6 }.AtLeast(1, "6");
        var buckets = new Option<int>("--buckets") { Description = "Hash buckets for n-grams (fastText's 2,000,000 take 800 MB at 100 dimensions)", DefaultValueFactory = _ => 2_000_000 };
        var settings = new Word2VecSettings(sample: 1e-4, alphaDefault: "0.05, fastText's");
        var command = new Command(
            "fasttext",
            "Train fastText-style subword vectors: each word is the mean of its own vector and its hashed character n-grams (3 to 6), " +
            "so words outside the vocabulary (misspellings, rare forms) get vectors too. Registered as model NAME; `similar` answers unknown words.\n\n" +
            "Example: quiver train fasttext corpus.txt -o mysub --buckets 200000 && quiver similar whaels -m mysub")
        {
            input, output, force, minN, maxN, buckets,
        };
        settings.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            var name = result.GetValue(output)!;
            var w2v = settings.Read(result);
            var options = new FastTextOptions
            {
                Word2Vec = w2v with { LearningRate = result.GetValue(settings.Alpha) ?? 0.05f },
                MinN = result.GetValue(minN),
                MaxN = result.GetValue(maxN),
                Buckets = result.GetValue(buckets),
            };
            options.Validate();
            var corpusFile = result.GetValue(input)!;
            CheckFreeName(context, name, result.GetValue(force));
            var corpus = new TextFileCorpus(corpusFile.FullName);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var vocabulary = Vocabulary.Build(corpus, w2v.MinCount, w2v.MaxVocabulary, cancellationToken: cancellationToken);
            context.Note($"{vocabulary.Count:N0} words seen at least {w2v.MinCount} times, {vocabulary.TotalCount:N0} tokens; {options.Buckets:N0} n-gram buckets");
            var trained = RunWithProgress(context, "fasttext", p => FastTextTrainer.Train(corpus, vocabulary, options, clock.Elapsed, p, cancellationToken));
            var description = $"fasttext {(w2v.Cbow ? "cbow" : "skip-gram")} dim {w2v.Dimensions} n-grams {options.MinN}-{options.MaxN} buckets {options.Buckets} epochs {w2v.Epochs}";
            var manifest = Register(context, name, trained.Vectors, description, corpusFile.FullName, trained.Subwords);
            Report(context, result, manifest, trained.Summary, clock.Elapsed);
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Node2Vec(CliContext context)
    {
        var input = new Argument<FileInfo>("edges") { Description = "An edge list: FROM TO [WEIGHT] per line (tabs or spaces; # comments)" };
        var output = OutputName();
        var force = Force();
        var directed = new Option<bool>("--directed") { Description = "Edges go one way (default: each edge both ways)" };
        var p = new Option<double>("--p") { Description = "Return parameter (stepping back is weighted 1/p)", DefaultValueFactory = _ => 1 };
        var q = new Option<double>("--q") { Description = "In-out parameter (stepping away is weighted 1/q); p = q = 1 is DeepWalk", DefaultValueFactory = _ => 1 };
        var walkLength = new Option<int>("--walk-length") { Description = "Nodes per walk", DefaultValueFactory = _ => 80 }.AtLeast(1, "80");
        var walks = new Option<int>("--walks") { Description = "Walks started from every node", DefaultValueFactory = _ => 10 }.AtLeast(1, "10");
        var saveText = new Option<FileInfo?>("--save-text") { Description = "Also write the node vectors in word2vec's text format" };
        var settings = new Word2VecSettings(dimensions: 128, window: 10, sample: 0, minCount: 1, epochs: 1);
        var command = new Command(
            "node2vec",
            "Train node embeddings: node2vec's p/q-biased random walks (DeepWalk when p = q = 1) over an edge list, trained with Word2Vec " +
            "skip-gram. Registered as model NAME; `quiver similar NODE -m NAME` lists a node's nearest nodes.\n\n" +
            "Example: quiver train node2vec edges.tsv -o mygraph --p 1 --q 0.5")
        {
            input, output, force, directed, p, q, walkLength, walks, saveText,
        };
        settings.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            var name = result.GetValue(output)!;
            var options = new Node2VecOptions
            {
                P = result.GetValue(p),
                Q = result.GetValue(q),
                WalkLength = result.GetValue(walkLength),
                WalksPerNode = result.GetValue(walks),
                Seed = result.GetValue(settings.Seed),
                Word2Vec = settings.Read(result),
            };
            options.Validate();
            CheckFreeName(context, name, result.GetValue(force));
            var edgeFile = result.GetValue(input)!;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var graph = Graph.ReadEdgeList(edgeFile.FullName, result.GetValue(directed));
            context.Note($"{graph.NodeCount:N0} nodes, {graph.EdgeCount:N0} directed edges; {options.WalksPerNode} walks of {options.WalkLength} per node");
            var trained = RunWithProgress(context, options.IsDeepWalk ? "deepwalk" : "node2vec", pr => Node2VecTrainer.Train(graph, options, pr, cancellationToken));
            SaveFiles(context, trained.Vectors, result.GetValue(saveText), null);
            var description = $"node2vec p {options.P} q {options.Q} walks {options.WalksPerNode}x{options.WalkLength} dim {options.Word2Vec.Dimensions} window {options.Word2Vec.Window}";
            var manifest = Register(context, name, trained.Vectors, description, edgeFile.FullName);
            Report(context, result, manifest, trained.Summary, clock.Elapsed);
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Doc2Vec(CliContext context)
    {
        var input = new Argument<FileInfo>("documents") { Description = "A tokenised text file: one document per line, tokens separated by spaces" };
        var output = OutputName();
        var force = Force();
        var dbow = new Option<bool>("--dbow") { Description = "PV-DBOW instead of PV-DM" };
        var dbowWords = new Option<bool>("--dbow-words") { Description = "With --dbow, also train word vectors by skip-gram" };
        var settings = new Word2VecSettings(epochs: 10, alphaDefault: "0.025");
        var command = new Command(
            "doc2vec",
            "Train Doc2Vec paragraph vectors (PV-DM, or --dbow) on one document per line and install the model as NAME (kind doc2vec); " +
            "new texts get vectors by inference, so the model works as a text encoder.\n\n" +
            "Example: quiver train doc2vec docs.txt -o mydocs --dbow --epochs 20")
        {
            input, output, force, dbow, dbowWords,
        };
        settings.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            var name = result.GetValue(output)!;
            var w2v = settings.Read(result);
            var options = new Doc2VecOptions
            {
                Mode = result.GetValue(dbow) ? Doc2VecMode.DistributedBagOfWords : Doc2VecMode.DistributedMemory,
                TrainWords = result.GetValue(dbowWords),
                Word2Vec = w2v with { LearningRate = result.GetValue(settings.Alpha) ?? 0.025f },
            };
            CheckFreeName(context, name, result.GetValue(force));
            var file = result.GetValue(input)!;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var documents = File.ReadLines(file.FullName)
                .Select(l => (IReadOnlyList<string>)l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                .Where(d => d.Count > 0)
                .ToList();
            context.Note($"{documents.Count:N0} documents");
            var model = RunWithProgress(context, options.Mode == Doc2VecMode.DistributedMemory ? "pv-dm" : "pv-dbow", pr => Doc2VecTrainer.Train(documents, options, pr, cancellationToken));
            var manifest = Doc2VecFolder.Install(context.Paths, name, model, TrainedSource(file.FullName), force: true);
            Report(context, result, manifest, model.Summary, clock.Elapsed);
            return Task.FromResult(0);
        });
        return command;
    }

    internal static Option<string> OutputName() => new("--output", "-o")
    {
        Description = "The model name to register the trained vectors under",
        Required = true,
    };

    internal static Option<bool> Force() => new("--force") { Description = "Replace an installed model of that name" };

    // Fail before hours of training, not after.
    internal static void CheckFreeName(CliContext context, string name, bool force)
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

    private static ModelManifest Register(CliContext context, string name, WordVectors vectors, string description, string corpusPath, SubwordTable? subwords = null) =>
        new ModelInstaller(context.Paths).InstallVectors(
            name, vectors, description, TrainedSource(corpusPath), force: true, new SynchronousProgress<InstallProgress>(p => context.Note(p.Stage)), subwords);

    /// <summary>A trained model's source as its manifest records it: the training file and its SHA-256.</summary>
    internal static string TrainedSource(string path)
    {
        using var stream = File.OpenRead(path);
        return $"trained:{path} sha256:{Convert.ToHexStringLower(SHA256.HashData(stream))}";
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
