using System.CommandLine;
using System.Diagnostics;
using Quiver.Analysis.Evaluation;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Models.Onnx;
using Quiver.Catalogue.Quantization;
using Quiver.Store.Search;
using Quiver.Store.Keyword;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>
/// <c>quiver models quantize NAME -o NEW</c>: installs an int8 copy of a transformer model, then measures what it
/// costs in quality (STS-B dev Spearman, CISI nDCG@10, each skipped with a note when its data is absent) and what it
/// gains in speed (sentences/s of both models on the same inputs, in turn on each slice of them, in the same run).
/// </summary>
internal static class QuantizeCommand
{
    /// <summary>Sentences embedded for speed when no evaluation data is present.</summary>
    private const int GeneratedSentences = 1_000;

    /// <summary>Sentences per timed slice: about a second of work for a MiniLM-sized model on two cores.</summary>
    private const int SpeedSlice = 200;

    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The installed transformer model to quantise" };
        var output = new Option<string>("--output", "-o") { Description = "The name to install the int8 copy under", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an installed model of that name" };
        var perTensor = new Option<bool>("--per-tensor") { Description = "One scale per weight matrix instead of one per output column" };
        var formulation = new Option<QuantizedMatMulFormulation>("--formulation")
        {
            Description = "MatMulInteger (standard ONNX: MatMulInteger, Cast, Mul, Add; any runtime) or MatMulIntegerToFloat (ONNX Runtime's contrib operator; the same kernels in ONNX Runtime)",
            DefaultValueFactory = _ => QuantizedMatMulFormulation.MatMulInteger,
        };
        var sts = new Option<FileInfo>("--sts") { Description = "STS Benchmark file for the Spearman comparison (skipped with a note when absent)", DefaultValueFactory = _ => new FileInfo("../shared/data/sts/sts-dev.csv") };
        var retrieval = new Option<DirectoryInfo>("--retrieval") { Description = "Test collection for the nDCG@10 comparison (skipped with a note when absent)", DefaultValueFactory = _ => new DirectoryInfo("../shared/data/retrieval/cisi") };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime threads for the speed comparison, the same for both models (default: the number of cores)", DefaultValueFactory = _ => Environment.ProcessorCount }.AtLeast(1, "2");
        var rounds = new Option<int>("--rounds") { Description = "Timed passes over the inputs (both models on each slice of 200 sentences in turn)", DefaultValueFactory = _ => 3 }.AtLeast(1, "3");
        var noEval = new Option<bool>("--no-eval") { Description = "Only quantise and install; measure neither quality nor speed" };
        var command = new Command(
            "quantize",
            "Install an int8 copy of a transformer model (dynamic quantisation: every dense layer's weights in int8 with per-column scales, " +
            "activations quantised when the model runs) and print what it costs and gains: STS-B dev Spearman and CISI nDCG@10 of both models, " +
            "and sentences/s of both on the same inputs in this run. The copy is a model of its own (its own revision and embedding space); " +
            "its manifest's source says which model and revision it was made from.\n\n" +
            "Examples:\n  quiver models quantize all-minilm-l6-v2 -o all-minilm-l6-v2-int8\n  quiver models quantize minilm -o minilm-int8 --per-tensor --threads 2 --json")
        {
            name, output, force, perTensor, formulation, sts, retrieval, threads, rounds, noEval,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var sourceName = result.GetValue(name)!;
            var targetName = result.GetValue(output)!;
            var (threadCount, roundCount) = (result.GetValue(threads), result.GetValue(rounds));
            if (threadCount < 1 || roundCount < 1)
            {
                throw new QuiverException($"--threads ({threadCount}) and --rounds ({roundCount}) must be at least 1.");
            }

            var options = new DynamicQuantizationOptions
            {
                Granularity = result.GetValue(perTensor) ? QuantizationGranularity.PerTensor : QuantizationGranularity.PerChannel,
                Formulation = result.GetValue(formulation),
            };
            var progress = new SynchronousProgress<InstallProgress>(p => context.Note(p.Stage));
            var clock = Stopwatch.StartNew();
            var installed = new ModelInstaller(context.Paths).InstallQuantized(sourceName, targetName, options, result.GetValue(force), progress);
            var quantiseSeconds = clock.Elapsed.TotalSeconds;
            var source = InstalledModels.OpenTransformer(context.Paths, sourceName);
            var quantized = InstalledModels.OpenTransformer(context.Paths, targetName);
            var comparison = result.GetValue(noEval)
                ? null
                : await CompareAsync(source, quantized, result.GetValue(sts)!, result.GetValue(retrieval)!, threadCount, roundCount, context, cancellationToken);

            var sizes = new ModelSizes(new FileInfo(source.Folder.ModelPath).Length, new FileInfo(quantized.Folder.ModelPath).Length);
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new
                {
                    Source = new { source.Manifest.Name, source.Manifest.Revision },
                    Quantized = installed.Manifest,
                    installed.Summary,
                    ModelBytes = sizes,
                    QuantizeSeconds = quantiseSeconds,
                    comparison?.Sts,
                    comparison?.Retrieval,
                    comparison?.Speed,
                    Notes = comparison?.Notes ?? [],
                });
                return 0;
            }

            Print(context, sourceName, installed, sizes, comparison, quantiseSeconds);
            return 0;
        });
        return command;
    }

    private static async Task<Comparison> CompareAsync(
        TransformerModel source, TransformerModel quantized, FileInfo stsFile, DirectoryInfo retrievalFolder, int threads, int rounds, CliContext context, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        StsComparison? sts = null;
        List<string>? stsSentences = null;
        if (stsFile.Exists)
        {
            var pairs = EvaluationData.ReadSts(stsFile.FullName);
            stsSentences = [.. pairs.SelectMany(p => new[] { p.First, p.Second })];
            var rows = new List<EvalCommands.StsRow>();
            foreach (var model in new[] { source, quantized })
            {
                using var generator = model.CreateGenerator();
                rows.Add(await EvalCommands.EvaluateTransformer(generator, pairs, context, cancellationToken));
            }

            sts = new StsComparison(stsFile.FullName, pairs.Count, rows[0].Spearman, rows[1].Spearman, rows[1].Spearman - rows[0].Spearman);
        }
        else
        {
            notes.Add($"STS-B not compared: no file at {stsFile.FullName} (pass --sts FILE)");
        }

        RetrievalComparison? retrieval = null;
        if (retrievalFolder.Exists)
        {
            var data = RetrievalData.Read(retrievalFolder.FullName);
            var runs = RetrievalEvalCommand.Runs([SearchMode.Dense], rrfK: 60, keywordWeights: [], candidates: 100);
            var scores = new List<double>();
            foreach (var model in new[] { source, quantized })
            {
                using var generator = model.CreateGenerator(role: TextRole.Document);
                using var queries = model.CreateGenerator(role: TextRole.Query);
                var evaluation = await RetrievalEvalCommand.EvaluateAsync(data, generator, queries, runs, KeywordStemming.English, context, cancellationToken);
                scores.Add(evaluation.Rows[0].Ndcg10);
            }

            retrieval = new RetrievalComparison(data.Name, retrievalFolder.FullName, data.JudgedQueries.Count, scores[0], scores[1], scores[1] - scores[0]);
        }
        else
        {
            notes.Add($"retrieval not compared: no test collection at {retrievalFolder.FullName} (pass --retrieval FOLDER)");
        }

        var (inputs, sentences) = stsSentences is not null
            ? ($"the {stsSentences.Count:N0} sentences of {stsFile.Name}", stsSentences)
            : ($"{GeneratedSentences:N0} generated sentences of 4 to 60 words", GenerateSentences(GeneratedSentences));
        var speed = MeasureSpeed(source, quantized, inputs, sentences, threads, rounds, context, cancellationToken);
        return new Comparison(sts, retrieval, speed, notes);
    }

    /// <summary>
    /// Sentences/s of both models on the same inputs and threads, after a warm-up. Each round goes through the inputs
    /// in slices of <see cref="SpeedSlice"/> and runs both models on every slice, the first model alternating, so that
    /// both meet the same load from other processes: on a shared machine that load changes within seconds.
    /// </summary>
    private static SpeedComparison MeasureSpeed(
        TransformerModel source, TransformerModel quantized, string inputs, IReadOnlyList<string> sentences, int threads, int rounds, CliContext context, CancellationToken cancellationToken)
    {
        var options = new TransformerEncoderOptions { Threads = threads };
        using var sourceEncoder = source.CreateEncoder(options);
        using var quantizedEncoder = quantized.CreateEncoder(options);
        var warmUp = sentences.Take(SpeedSlice).ToList();
        sourceEncoder.Embed(warmUp, cancellationToken);
        quantizedEncoder.Embed(warmUp, cancellationToken);

        var slices = sentences.Chunk(SpeedSlice).Select(slice => (IReadOnlyList<string>)slice).ToList();
        var sourceRates = new List<double>();
        var quantizedRates = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var (sourceSeconds, quantizedSeconds) = (0.0, 0.0);
            for (var s = 0; s < slices.Count; s++)
            {
                var sourceFirst = (round + s) % 2 == 0;
                var first = Time(sourceFirst ? sourceEncoder : quantizedEncoder, slices[s], cancellationToken);
                var second = Time(sourceFirst ? quantizedEncoder : sourceEncoder, slices[s], cancellationToken);
                sourceSeconds += sourceFirst ? first : second;
                quantizedSeconds += sourceFirst ? second : first;
            }

            sourceRates.Add(sentences.Count / sourceSeconds);
            quantizedRates.Add(sentences.Count / quantizedSeconds);
            context.Note($"speed round {round}/{rounds}: {source.Name} {sourceRates[^1]:N0} sentences/s, {quantized.Name} {quantizedRates[^1]:N0} sentences/s ({quantizedRates[^1] / sourceRates[^1]:F2}x)");
        }

        var ratios = sourceRates.Zip(quantizedRates, (s, q) => q / s).ToList();
        return new SpeedComparison(inputs, sentences.Count, threads, sourceRates, quantizedRates, Median(sourceRates), Median(quantizedRates), Median(ratios));
    }

    private static double Time(TransformerEncoder encoder, IReadOnlyList<string> sentences, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        encoder.Embed(sentences, cancellationToken);
        return clock.Elapsed.TotalSeconds;
    }

    private static void Print(CliContext context, string source, QuantizedInstallation installed, ModelSizes sizes, Comparison? comparison, double quantizeSeconds)
    {
        var manifest = installed.Manifest;
        var summary = installed.Summary;
        context.Console.MarkupLine(
            $"[green]installed[/] {Markup.Escape(manifest.Name)}: {summary.MatMuls} MatMul + {summary.Gemms} Gemm weight matrices in int8 " +
            $"({(summary.Options.Granularity == QuantizationGranularity.PerChannel ? "per-channel" : "per-tensor")} scales, {summary.Options.Formulation}), " +
            $"revision {manifest.Revision[..12]} ({quantizeSeconds:F1} s)");
        if (comparison is null)
        {
            return;
        }

        var table = new Table().AddColumns("measure", $"{Markup.Escape(source)} (fp32)", $"{Markup.Escape(manifest.Name)} (int8)", "change");
        if (comparison.Sts is { } sts)
        {
            table.AddRow("STS-B dev Spearman x100", (sts.SourceSpearman * 100).ToString("F2"), (sts.QuantizedSpearman * 100).ToString("F2"), (sts.Change * 100).ToString("+0.00;-0.00"));
        }

        if (comparison.Retrieval is { } r)
        {
            table.AddRow($"{Markup.Escape(r.Collection)} nDCG@10 x100", (r.SourceNdcg10 * 100).ToString("F2"), (r.QuantizedNdcg10 * 100).ToString("F2"), (r.Change * 100).ToString("+0.00;-0.00"));
        }

        var speed = comparison.Speed;
        table.AddRow("sentences/s (median)", speed.SourceMedian.ToString("N0"), speed.QuantizedMedian.ToString("N0"), $"{speed.Speedup:F2}x");
        table.AddRow("model file MB", (sizes.Source / 1e6).ToString("F1"), (sizes.Quantized / 1e6).ToString("F1"), $"{(double)sizes.Quantized / sizes.Source:P0}");
        context.Console.Write(table);
        context.Console.MarkupLine(
            $"[grey]speed: {Markup.Escape(speed.Inputs)}, {speed.Threads} thread(s), {speed.SourceRates.Count} round(s), both models on each slice of {SpeedSlice} in turn; " +
            "the change in speed is the median of the rounds' ratios[/]");
        foreach (var note in comparison.Notes)
        {
            context.Console.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        }
    }

    /// <summary>Deterministic sentences of ordinary words and very different lengths, for timing when no data set is at hand.</summary>
    private static List<string> GenerateSentences(int count)
    {
        string[] words =
        [
            "the", "a", "whale", "ship", "sails", "across", "cold", "sea", "at", "night", "while", "sailors", "sing", "old", "songs",
            "about", "home", "and", "distant", "harbours", "where", "their", "families", "wait", "for", "news", "of", "storms", "ice", "light",
        ];
        var random = new Random(15);
        return [.. Enumerable.Range(0, count).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(4, 61)).Select(_ => words[random.Next(words.Length)])) + ".")];
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed record Comparison(StsComparison? Sts, RetrievalComparison? Retrieval, SpeedComparison Speed, IReadOnlyList<string> Notes);

    private sealed record StsComparison(string File, int Pairs, double SourceSpearman, double QuantizedSpearman, double Change);

    private sealed record RetrievalComparison(string Collection, string Folder, int JudgedQueries, double SourceNdcg10, double QuantizedNdcg10, double Change);

    /// <param name="Speedup">The median over rounds of int8 sentences/s ÷ fp32 sentences/s in the same round.</param>
    private sealed record SpeedComparison(
        string Inputs, int Sentences, int Threads, IReadOnlyList<double> SourceRates, IReadOnlyList<double> QuantizedRates, double SourceMedian, double QuantizedMedian, double Speedup);

    private sealed record ModelSizes(long Source, long Quantized);
}
