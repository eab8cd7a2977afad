using System.CommandLine;
using Microsoft.Extensions.AI;
using Quiver.Analysis.Evaluation;
using Quiver.Analysis.Metrics;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Models.Static;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver eval words|sts</c>: quality on real data, with the field's standard metrics.</summary>
internal static class EvalCommands
{
    public static Command Create(CliContext context)
    {
        var eval = new Command("eval", "Measure quality on real evaluation data.\n\nExample: quiver eval words --data ../shared/data");
        eval.Subcommands.Add(Words(context));
        eval.Subcommands.Add(Sts(context));
        eval.Subcommands.Add(ImageEvalCommand.Create(context));
        eval.Subcommands.Add(RetrievalEvalCommand.Create(context));
        eval.Subcommands.Add(ClassifyEvalCommand.Create(context));
        return eval;
    }

    private static Command Words(CliContext context)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Folder holding word-analogy/ and word-similarity/", DefaultValueFactory = _ => new DirectoryInfo("../shared/data") };
        var model = CliOptions.WordModel();
        var restrict = CliOptions.Restrict(30_000);
        var method = new Option<AnalogyMethod>("--method") { Description = "CosAdd (3CosAdd) or CosMul (3CosMul)", DefaultValueFactory = _ => AnalogyMethod.CosAdd };
        var subwords = new Option<bool>("--subwords") { Description = "Score similarity pairs with a word outside the vocabulary from its character n-grams (fastText models); such pairs are otherwise skipped as OOV" };
        var command = new Command(
            "words",
            "Word-vector quality: Google analogy accuracy per section and overall (answers restricted to the N most frequent " +
            "words; questions with a word outside them are skipped and counted) and Spearman correlation on every word-similarity file.\n\n" +
            "Examples:\n  quiver eval words --data ../shared/data --restrict 30000\n  quiver eval words --model my-fasttext --subwords")
        {
            data, model, restrict, method, subwords,
        };
        command.SetAction(result =>
        {
            var root = result.GetValue(data)!.FullName;
            var analogyFile = Path.Combine(root, "word-analogy", "questions-words.txt");
            var similarityFolder = Path.Combine(root, "word-similarity");
            if (!File.Exists(analogyFile) || !Directory.Exists(similarityFolder))
            {
                throw new QuiverException(
                    $"The evaluation data is not at {root}: expected word-analogy/questions-words.txt and word-similarity/. Pass --data <folder>.");
            }

            var loaded = InstalledModels.Open(context.Paths, result.GetValue(model)!);
            var vectors = loaded.Vectors;
            var limit = result.GetValue(restrict);
            var analogyMethod = result.GetValue(method);
            var questions = EvaluationData.ReadAnalogies(analogyFile);
            context.Note($"answering {questions.Count:N0} analogy questions ({analogyMethod}, restricted to {(limit == 0 ? "all" : limit.ToString("N0"))} words)");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var report = AnalogyEvaluation.Run(
                questions,
                w => vectors.RankOf(w) is var r && r >= 0 && (limit == 0 || r < limit),
                q => vectors.Analogy(vectors.RankOf(q.A), vectors.RankOf(q.B), vectors.RankOf(q.C), 1, analogyMethod, limit) is [var best, ..] ? best.Word : null,
                new SynchronousProgress<int>(n => { if (n % 5000 == 0) { context.Note($"{n:N0}/{questions.Count:N0} questions"); } }));
            var analogySeconds = clock.Elapsed.TotalSeconds;

            var composeOov = result.GetValue(subwords);
            if (composeOov && loaded.Subwords is null)
            {
                throw new QuiverException($"--subwords needs a model trained with character n-grams (quiver train fasttext); {loaded.Name} has none.");
            }

            // A word's vector: its row, or with --subwords (for a word outside the vocabulary) its n-grams' mean.
            float[]? VectorOf(string word) => composeOov || vectors.Contains(word) ? loaded.VectorOf(word) : null;
            var similarity = Directory.EnumerateFiles(similarityFolder, "EN-*.txt").Order(StringComparer.Ordinal).Select(file =>
            {
                var pairs = EvaluationData.ReadSimilarityPairs(file);
                var scored = pairs
                    .Select(p => (Pair: p, A: VectorOf(p.First), B: VectorOf(p.Second)))
                    .Where(x => x.A is not null && x.B is not null)
                    .ToList();
                var composed = scored.Count(x => !vectors.Contains(x.Pair.First) || !vectors.Contains(x.Pair.Second));
                var rho = scored.Count >= 2
                    ? Correlation.Spearman(scored.Select(x => (double)System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(x.A!, x.B!)).ToList(), scored.Select(x => x.Pair.Score).ToList())
                    : double.NaN;
                return new { File = Path.GetFileName(file), Pairs = pairs.Count, Used = scored.Count, Oov = pairs.Count - scored.Count, Composed = composed, Spearman = rho };
            }).ToList();

            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new
                {
                    Model = loaded.Name,
                    Revision = loaded.Manifest.Revision,
                    Restrict = limit,
                    Method = analogyMethod.ToString(),
                    Analogy = report.Sections.Concat([report.Semantic, report.Syntactic, report.Overall])
                        .Select(s => new { s.Section, s.Questions, s.Answered, s.Skipped, s.Correct, Accuracy = s.Accuracy }),
                    AnalogySeconds = analogySeconds,
                    Similarity = similarity,
                });
                return 0;
            }

            var table = new Table().AddColumns("analogy section", "questions", "answered", "skipped (OOV)", "correct", "accuracy %");
            foreach (var s in report.Sections)
            {
                table.AddRow(Markup.Escape(s.Section), s.Questions.ToString(), s.Answered.ToString(), s.Skipped.ToString(), s.Correct.ToString(), s.Accuracy.ToString("F2"));
            }

            foreach (var s in new[] { report.Semantic, report.Syntactic, report.Overall })
            {
                table.AddRow($"[bold]{s.Section}[/]", s.Questions.ToString(), s.Answered.ToString(), s.Skipped.ToString(), s.Correct.ToString(), $"[bold]{s.Accuracy:F2}[/]");
            }

            context.Console.Write(table);
            var simTable = new Table().AddColumns("similarity file", "pairs", "used", "OOV (skipped)", "composed from n-grams", "Spearman");
            foreach (var s in similarity)
            {
                simTable.AddRow(Markup.Escape(s.File), s.Pairs.ToString(), s.Used.ToString(), s.Oov.ToString(), s.Composed.ToString(), s.Spearman.ToString("F4"));
            }

            context.Console.Write(simTable);
            context.Console.MarkupLine($"[grey]model {Markup.Escape(loaded.Name)}, {analogyMethod}, analogies in {analogySeconds:F1} s[/]");
            return 0;
        });
        return command;
    }

    private static Command Sts(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "An STS Benchmark file (TAB separated: score in column 5, sentences in 6 and 7)" };
        var model = CliOptions.TextModel(context);
        var pooling = new Option<string[]>("--pooling")
        {
            Description = "Pooling(s) to evaluate: sif and/or mean for word vectors (default both); mean, cls, max, last-token for transformers (default the model's own)",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command(
            "sts",
            "Sentence-similarity quality: Spearman and Pearson correlation between the cosine of the two sentences' embeddings and the gold score.\n\n" +
            "Examples:\n  quiver eval sts ../shared/data/sts/sts-dev.csv\n  quiver eval sts ../shared/data/sts/sts-dev.csv --model arctic-embed-xs --pooling mean cls")
        {
            file, model, pooling,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var stsFile = result.GetValue(file)!;
            if (!stsFile.Exists)
            {
                throw new QuiverException(
                    $"The STS file '{stsFile.FullName}' does not exist. Give the path of an STS Benchmark file, e.g. quiver eval sts $DATA/sts/sts-dev.csv.");
            }

            var pairs = EvaluationData.ReadSts(stsFile.FullName);
            var name = result.GetValue(model)!;
            var manifest = InstalledModels.Manifest(context.Paths, name);
            var chosen = result.GetValue(pooling) is { Length: > 0 } given ? given.ToList() : null;
            List<StsRow> rows;
            string note;
            if (ModelKinds.Of(manifest) != ModelKinds.WordVectors)
            {
                rows = [];
                foreach (var p in chosen ?? [null])
                {
                    using var generator = InstalledModels.OpenTextGenerator(context.Paths, name, p);
                    rows.Add(await EvaluateTransformer(generator, pairs, context, cancellationToken));
                }

                note = $"model {name} ({manifest.Kind}, revision {manifest.Revision[..12]})";
            }
            else
            {
                var loaded = InstalledModels.Open(context.Paths, name);
                var poolings = chosen?.Select(p => Enum.TryParse<StaticPooling>(p, ignoreCase: true, out var sp) ? sp : throw new Core.QuiverException(
                    $"'{p}' is not a pooling for the word-vector model '{name}'; use sif or mean.")).ToList() ?? [StaticPooling.Mean, StaticPooling.Sif];
                rows = poolings.Select(p => EvaluateStatic(loaded, p, pairs)).ToList();
                note = $"model {loaded.Name}; SIF common component fitted on {loaded.Sif.FittedOn}";
            }

            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new { Model = name, File = result.GetValue(file)!.Name, Results = rows });
                return 0;
            }

            var table = new Table().AddColumns("pooling", "pairs", "skipped", "Spearman x100", "Pearson x100");
            foreach (var r in rows)
            {
                table.AddRow(r.Pooling, r.Pairs.ToString(), r.Skipped.ToString(), (r.Spearman * 100).ToString("F2"), (r.Pearson * 100).ToString("F2"));
            }

            context.Console.Write(table);
            context.Console.MarkupLine($"[grey]{Markup.Escape(note)}[/]");
            return 0;
        });
        return command;
    }

    private static StsRow EvaluateStatic(WordVectorModel loaded, StaticPooling pooling, IReadOnlyList<(string First, string Second, double Score)> pairs)
    {
        var embedder = loaded.CreateEmbedder(pooling);
        var predicted = new List<double>();
        var gold = new List<double>();
        var skipped = 0;
        foreach (var (first, second, score) in pairs)
        {
            try
            {
                var a = embedder.Embed(first).Vector;
                var b = embedder.Embed(second).Vector;
                predicted.Add(System.Numerics.Tensors.TensorPrimitives.Dot<float>(a, b));
                gold.Add(score);
            }
            catch (NoKnownWordsException)
            {
                skipped++;
            }
        }

        return new StsRow(pooling.ToString(), pairs.Count, skipped, Correlation.Spearman(predicted, gold), Correlation.Pearson(predicted, gold),
            pooling == StaticPooling.Sif ? loaded.Sif.FittedOn : null);
    }

    /// <summary>Spearman and Pearson correlation of the cosine of each pair's embeddings with the gold scores.</summary>
    internal static async Task<StsRow> EvaluateTransformer(
        IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<(string First, string Second, double Score)> pairs, CliContext context, CancellationToken cancellationToken)
    {
        var space = generator.GetService<EmbeddingSpace>()!;
        context.Note($"embedding {pairs.Count * 2:N0} sentences with {space.ModelId}");
        var sentences = pairs.SelectMany(p => new[] { p.First, p.Second }).ToList();
        var vectors = await generator.GenerateAsync(sentences, cancellationToken: cancellationToken);
        var predicted = new List<double>(pairs.Count);
        for (var i = 0; i < pairs.Count; i++)
        {
            predicted.Add(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(vectors[2 * i].Vector.Span, vectors[(2 * i) + 1].Vector.Span));
        }

        var gold = pairs.Select(p => p.Score).ToList();
        return new StsRow(space.Model.Variant ?? space.Model.Name, pairs.Count, 0, Correlation.Spearman(predicted, gold), Correlation.Pearson(predicted, gold), null);
    }

    internal sealed record StsRow(string Pooling, int Pairs, int Skipped, double Spearman, double Pearson, string? SifFittedOn);
}
