using Quiver.Analysis.Plots;
using System.CommandLine;
using System.Diagnostics;
using Quiver.Analysis.Clustering;
using Quiver.Analysis.Topics;
using Quiver.Cli.Analysis;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Quiver.Core.Npy;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>
/// <c>quiver cluster</c>: groups a collection's (or a file's) vectors with k-means or HDBSCAN, names each group by
/// its keywords (class-based TF-IDF) and a representative text, scores the grouping against labels when there are
/// some, and with <c>--write</c> stores each point's cluster and topic in its payload.
/// </summary>
internal sealed class ClusterCommand
{
    private const int ChoosingInits = 3;

    private readonly CliContext _context;
    private readonly AnalysisInput _input;

    private readonly Option<int?> _k = new Option<int?>("--k") { Description = "Number of clusters for k-means (default: the k of --k-range with the best silhouette)" }.AtLeast(1, "20");
    private readonly Option<string?> _kRange = new("--k-range") { Description = "Try every k of FROM..TO and show each one's silhouette and inertia; the best silhouette wins (default when neither --k nor --density: 2..20)" };
    private readonly Option<bool> _density = new("--density") { Description = "HDBSCAN instead of k-means: no k, and points in no dense region are noise (cluster -1)" };
    private readonly Option<int> _minClusterSize = new Option<int>("--min-cluster-size") { Description = "HDBSCAN: the fewest points a cluster may have", DefaultValueFactory = _ => 10 }.AtLeast(2, "15");
    private readonly Option<int?> _minSamples = new Option<int?>("--min-samples") { Description = "HDBSCAN: the neighbour (the point itself first) whose distance is a point's core distance (default: --min-cluster-size)" }.AtLeast(1, "5");
    private readonly Option<bool> _topics = new("--topics") { Description = "Name each cluster by its keywords (class-based TF-IDF over its texts)" };
    private readonly Option<int> _keywords = new Option<int>("--keywords") { Description = "Keywords per topic", DefaultValueFactory = _ => 8 }.AtLeast(1, "8");
    private readonly Option<bool> _write = new("--write") { Description = "Store 'cluster' and 'topic' in each point's payload (collections only; vectors are untouched), so they filter like any field" };
    private readonly Option<int> _inits = new Option<int>("--inits") { Description = $"k-means starts (k-means++), the lowest inertia wins ({ChoosingInits} per k while choosing k)", DefaultValueFactory = _ => 10 }.AtLeast(1, "10");
    private readonly Option<bool> _miniBatch = new("--mini-batch") { Description = "Mini-batch k-means (default from 200,000 points)" };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of every random choice; the same seed gives the same clusters", DefaultValueFactory = _ => 42 };
    private readonly Option<bool> _assignments = new("--assignments") { Description = "With --json, add every point's id and cluster" };
    private readonly Option<int?> _threads = new Option<int?>("--threads") { Description = "Threads for the distance work (default: every processor)" }.AtLeast(1, "2");
    private readonly Option<FileInfo?> _plot = new("--plot") { Description = "While choosing k (--k-range, or neither --k nor --density): draw each k's silhouette and inertia to FILE.png or FILE.svg, the chosen k marked" };
    private readonly Option<FileInfo?> _saveVectors = new("--save-vectors") { Description = "Also write the vectors clustered to this .npy file, one row per point in the order of --assignments (to check the result with another tool on the very same vectors)" };

    private ClusterCommand(CliContext context)
    {
        _context = context;
        _input = new AnalysisInput(context);
    }

    public static Command Create(CliContext context) => new ClusterCommand(context).Build();

    private Command Build()
    {
        var command = new Command(
            "cluster",
            "Group points by their vectors (k-means, or HDBSCAN with --density), name each group by its keywords and a representative text, " +
            "score the groups against labels when the points have them, and optionally write each point's cluster and topic into its payload.\n\n" +
            "Examples:\n" +
            "  quiver cluster -c docs --k 8 --topics --write      # then: quiver search \"...\" -c docs --where cluster=3\n" +
            "  quiver cluster -c docs --k-range 2..15              # silhouette and inertia for each k\n" +
            "  quiver cluster --input train.csv --text-column text --label-column label -m all-minilm-l6-v2 --k 20 --topics\n" +
            "  quiver cluster --input vectors.npy --labels labels.txt --density --min-cluster-size 15 --json");
        _input.AddTo(command);
        foreach (var option in new Option[] { _k, _kRange, _density, _minClusterSize, _minSamples, _topics, _keywords, _write, _inits, _miniBatch, _seed, _assignments, _threads, _plot, _saveVectors })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) => await RunAsync(result, cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var density = result.GetValue(_density);
        var k = result.GetValue(_k);
        var rangeText = result.GetValue(_kRange);
        if (density && (k is not null || rangeText is not null))
        {
            throw new QuiverException("--density (HDBSCAN) finds the number of clusters itself; leave out --k and --k-range, or leave out --density for k-means.");
        }

        if (k is not null && rangeText is not null)
        {
            throw new QuiverException("Give either --k N (one k) or --k-range FROM..TO (choose the best), not both.");
        }

        var plot = result.GetValue(_plot);
        if (plot is not null && (density || k is not null))
        {
            throw new QuiverException("--plot draws how each k scored while k is chosen; leave out --k and --density (optionally give --k-range FROM..TO).");
        }

        if (plot is not null)
        {
            PlotFile.Check(plot.FullName);
        }

        var write = result.GetValue(_write);
        if (write && result.GetValue(_input.Input) is not null)
        {
            throw new QuiverException("--write stores clusters in a collection's payloads; a file has none. Cluster a collection (-c NAME), or leave out --write and use --json.");
        }

        var data = await _input.LoadAsync(result, cancellationToken);
        if (result.GetValue(_saveVectors) is { } save)
        {
            using var writer = NpyMatrixWriter.Create(save.FullName, data.Dimensions);
            for (var i = 0; i < data.Count; i++)
            {
                writer.Write(data.Row(i));
            }
        }

        var clock = Stopwatch.StartNew();
        var seed = result.GetValue(_seed);
        var outcome = density
            ? Density(data, result, cancellationToken)
            : KMeansFit(data, result, k, rangeText is null ? null : ParseRange(rangeText), seed, cancellationToken);
        var fitSeconds = clock.Elapsed.TotalSeconds;
        if (plot is not null && outcome.Scores is { } scores)
        {
            KChoiceChart.Save(plot.FullName, scores, outcome.ClusterCount, $"{data.Source}: choosing k by silhouette");
            _context.Note($"wrote the silhouette and inertia of each k to {plot.FullName}");
        }

        var topics = result.GetValue(_topics) || write;
        var described = ClassTfIdf.Describe(data.Texts, outcome.Labels, data.Vectors, data.Dimensions, topics ? result.GetValue(_keywords) : 0, representatives: 3);
        var silhouette = SilhouetteOf(data, outcome, seed);
        ClusterAgreement? agreement = null;
        if (data.Labels is not null)
        {
            agreement = ClusterAgreement.Compare(data.RequireLabels("Scoring clusters against labels").Codes, outcome.Labels);
        }

        var written = write ? ClusterPayloads.Write(_context, data, outcome.Labels, described) : 0;
        var report = new ClusterReport(data, outcome, described, topics, silhouette, agreement, fitSeconds, written);
        if (result.GetValue(CliOptions.Json))
        {
            report.WriteJson(_context, result.GetValue(_assignments));
        }
        else
        {
            report.WriteTable(_context);
        }

        return 0;
    }

    private ClusterOutcome KMeansFit(AnalysisData data, ParseResult result, int? k, (int From, int To)? range, int seed, CancellationToken cancellationToken)
    {
        var options = new KMeansOptions
        {
            K = k ?? 2,
            Inits = result.GetValue(_inits),
            Seed = seed,
            MiniBatch = result.GetValue(_miniBatch) ? true : null,
            Threads = result.GetValue(_threads),
        };
        if (k is { } fixedK)
        {
            data.RequireAtLeast(fixedK, $"k-means with --k {fixedK}");
            var fit = WithProgress($"k-means, k = {fixedK}", options.Inits, task => KMeans.Fit(data.Vectors, data.Dimensions, options, new SynchronousProgress<KMeansProgress>(p =>
            {
                task.Value = p.Init - 1;
                task.Description = Markup.Escape($"k-means, k = {fixedK}: start {p.Init}/{p.Inits}, iteration {p.Iteration}{(double.IsNaN(p.BestInertia) ? string.Empty : $", best inertia {p.BestInertia:G5}")}");
            }), cancellationToken));
            return new ClusterOutcome("k-means", fit.Labels, fit.K, fit, null);
        }

        var (from, to) = range ?? (2, Math.Min(20, data.Count - 1));
        data.RequireAtLeast(to + 1, $"choosing k up to {to} by silhouette");
        var choice = WithProgress($"choosing k in {from}..{to}", to - from + 1, task => KSelection.BySilhouette(
            data.Vectors, data.Dimensions, from, to, options with { Inits = Math.Min(options.Inits, ChoosingInits) }, Silhouette.DefaultSampleSize,
            new SynchronousProgress<KScore>(s =>
            {
                task.Increment(1);
                task.Description = Markup.Escape($"choosing k in {from}..{to}: k = {s.K} silhouette {s.Silhouette:F3}");
            }),
            cancellationToken));
        return new ClusterOutcome("k-means", choice.Best.Labels, choice.BestK, choice.Best, choice.Scores);
    }

    private ClusterOutcome Density(AnalysisData data, ParseResult result, CancellationToken cancellationToken)
    {
        var options = new HdbscanOptions { MinClusterSize = result.GetValue(_minClusterSize), MinSamples = result.GetValue(_minSamples), Threads = result.GetValue(_threads) };
        data.RequireAtLeast(options.MinClusterSize, $"HDBSCAN with --min-cluster-size {options.MinClusterSize}");
        var fit = WithProgress("HDBSCAN", 1, task => Hdbscan.Fit(data.Vectors, data.Dimensions, options, new SynchronousProgress<double>(share => task.Value = share), cancellationToken));
        return new ClusterOutcome("hdbscan", fit.Labels, fit.ClusterCount, null, null, fit);
    }

    private T WithProgress<T>(string description, double total, Func<ProgressTask, T> work) =>
        _context.ErrorConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress => work(progress.AddTask(Markup.Escape(description), maxValue: total)));

    private static double? SilhouetteOf(AnalysisData data, ClusterOutcome outcome, int seed)
    {
        if (outcome.Scores?.FirstOrDefault(s => s.K == outcome.ClusterCount) is { K: > 0 } chosen)
        {
            return chosen.Silhouette;
        }

        var clustered = outcome.Labels.Count(l => l >= 0);
        return outcome.ClusterCount >= 2 && outcome.ClusterCount < Math.Min(clustered, Silhouette.DefaultSampleSize)
            ? Silhouette.Score(data.Vectors, data.Dimensions, outcome.Labels, Silhouette.DefaultSampleSize, seed)
            : null;
    }

    private static (int From, int To) ParseRange(string text)
    {
        var parts = text.Split("..");
        if (parts.Length == 2 && int.TryParse(parts[0], out var from) && int.TryParse(parts[1], out var to) && from >= 2 && to >= from)
        {
            return (from, to);
        }

        throw new QuiverException($"--k-range: '{text}' is not a range of k (expected FROM..TO with 2 <= FROM <= TO, e.g. --k-range 2..20).");
    }
}
