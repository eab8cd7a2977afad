using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Quiver.Analysis.Plots;
using Quiver.Analysis.Projection;
using Quiver.Cli.Analysis;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>
/// <c>quiver project</c>: maps a collection's points (or a labelled file's texts, or a .npy matrix) to 2-D or 3-D
/// with PCA, UMAP or t-SNE, writes the coordinates as CSV or JSON, and draws the map coloured by a label, payload
/// field or cluster.
/// </summary>
internal static class ProjectCommand
{
    private static readonly string[] Methods = ["umap", "tsne", "pca"];

    public static Command Create(CliContext context)
    {
        var input = new AnalysisInput(context);
        var method = new Option<string>("--method")
        {
            Description = "umap (neighbourhoods and some global layout), tsne (Barnes-Hut; neighbourhoods) or pca (exact, linear)",
            DefaultValueFactory = _ => "umap",
        };
        method.AcceptOnlyFromAmong(Methods);
        var dims = new Option<int>("--dims") { Description = "Dimensions of the map: 2 or 3 (a plot needs 2)", DefaultValueFactory = _ => 2 }.Between(2, 3, "2");
        var seed = new Option<int>("--seed") { Description = "Fixes every random choice: the same seed and input give the same map", DefaultValueFactory = _ => 42 };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the coordinates to FILE.csv (id, x, y[, z], colour field) or FILE.json" };
        var plot = new Option<FileInfo?>("--plot") { Description = "Draw the 2-D map to FILE.png or FILE.svg" };
        var colorBy = new Option<string?>("--color-by")
        {
            Description = "What colours the points: label (the --label-column), cluster (the payload field 'quiver cluster --write' sets), or any payload field (default: label when there are labels)",
        };
        var categories = new Option<int>("--categories") { Description = "Colours in the plot's legend; smaller categories share a grey 'other'", DefaultValueFactory = _ => 10 }.Between(1, 20, "10");
        var perplexity = new Option<double>("--perplexity") { Description = "t-SNE: the effective number of neighbours (below the number of points)", DefaultValueFactory = _ => 30 }.AtLeast(1, "30");
        var iterations = new Option<int>("--iterations") { Description = "t-SNE: gradient steps, the first 250 exaggerated", DefaultValueFactory = _ => 1000 }.AtLeast(1, "1000");
        var neighbours = new Option<int>("--neighbours") { Description = "UMAP: neighbourhood size, the point itself included", DefaultValueFactory = _ => 15 }.AtLeast(2, "15");
        var minDist = new Option<double>("--min-dist") { Description = "UMAP: how tightly points may pack, from 0 to 1", DefaultValueFactory = _ => 0.1 }.Between(0, 1, "0.1");
        var epochs = new Option<int?>("--epochs") { Description = "UMAP: passes of gradient descent (default: 500 up to 10,000 points, 200 above)" }.AtLeast(1, "500");
        var command = new Command(
            "project",
            "Map points to 2-D or 3-D with UMAP, t-SNE or PCA: from collections (-c), a labelled CSV/JSONL file embedded with a model " +
            "(--input FILE.csv --text-column text --label-column label -m MODEL), or a .npy matrix. Writes the coordinates as CSV or JSON " +
            "and draws the map coloured by a label, payload field or cluster. The neighbour search is exact (all pairs), which suits up " +
            "to some tens of thousands of points.\n\n" +
            "Examples:\n" +
            "  quiver project -c docs --method umap --plot map.png --color-by label\n" +
            "  quiver project --input trec.csv --text-column text --label-column label -m all-minilm-l6-v2 --method tsne -o map.csv --plot map.svg\n" +
            "  quiver project --input vectors.npy --labels labels.txt --method pca --dims 3 -o map.json --json")
        {
            method, dims, seed, output, plot, colorBy, categories, perplexity, iterations, neighbours, minDist, epochs,
        };
        input.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var plotFile = result.GetValue(plot);
            var outputFile = result.GetValue(output);
            var dimensions = result.GetValue(dims);
            CheckFiles(outputFile, plotFile, dimensions);
            var options = new ProjectionOptions
            {
                Method = Enum.Parse<ProjectionMethod>(result.GetValue(method)!, ignoreCase: true),
                Dimensions = dimensions,
                Seed = result.GetValue(seed),
                Tsne = new TsneOptions { Perplexity = result.GetValue(perplexity), Iterations = result.GetValue(iterations) },
                Umap = new UmapOptions { Neighbours = result.GetValue(neighbours), MinDistance = result.GetValue(minDist), Epochs = result.GetValue(epochs) },
            };

            var data = await input.LoadAsync(result, cancellationToken);
            var (colourName, colours) = Colours(data, result.GetValue(colorBy));
            var vectors = Enumerable.Range(0, data.Count).Select(i => data.Row(i).ToArray()).ToList();
            var clock = Stopwatch.StartNew();
            var map = Run(context, vectors, options, data.Source, cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;

            if (outputFile is not null)
            {
                Write(outputFile.FullName, map, data, colourName, colours, options);
            }

            if (plotFile is not null)
            {
                var name = DisplayName(result.GetValue(method)!);
                MapPlot.Save(
                    plotFile.FullName,
                    map.Points,
                    colours,
                    new MapPlotOptions
                    {
                        Title = $"{data.Source}: {name} of {data.Count:N0} points{(colourName is null ? string.Empty : $", coloured by {colourName}")}",
                        XLabel = $"{name} 1",
                        YLabel = $"{name} 2",
                        MaxCategories = result.GetValue(categories),
                    },
                    colourName == "cluster" ? MapLabel.AtMedians(map.Points, colours!) : null);
            }

            var summary = new ProjectSummary(
                data.Source, result.GetValue(method)!, dimensions, options.Seed, data.Count, seconds, map.ExplainedVarianceRatio,
                outputFile?.FullName, plotFile?.FullName, colourName);
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new
                {
                    summary.Source,
                    summary.Method,
                    summary.Dimensions,
                    summary.Seed,
                    summary.Points,
                    summary.Seconds,
                    summary.ExplainedVarianceRatio,
                    summary.Output,
                    summary.Plot,
                    summary.ColorBy,
                    Coordinates = outputFile is null ? Rows(map, data, colours) : null,
                });
                return 0;
            }

            Print(context, summary, map, data, colours);
            return 0;
        });
        return command;
    }

    private static void CheckFiles(FileInfo? output, FileInfo? plot, int dimensions)
    {
        if (output is not null && output.Extension.ToLowerInvariant() is not (".csv" or ".json"))
        {
            throw new QuiverException($"Cannot tell the format of '{output.Name}': name the output FILE.csv or FILE.json.");
        }

        if (plot is not null && plot.Extension.ToLowerInvariant() is not (".png" or ".svg"))
        {
            throw new QuiverException($"Cannot tell the image format of '{plot.Name}': name the plot file .png or .svg.");
        }

        if (plot is not null && dimensions != 2)
        {
            throw new QuiverException($"A plot is drawn from a 2-D map, but --dims is {dimensions}. Leave --dims at 2 for --plot, or write the 3-D map with -o.");
        }

        foreach (var file in new[] { output, plot })
        {
            if (file?.Directory is { Exists: false } folder)
            {
                throw new QuiverException($"The folder '{folder.FullName}' for '{file.Name}' does not exist; create it first.");
            }
        }
    }

    // The category of each point for colouring: the loaded labels for "label" (or the label column's own name), else
    // a payload field of the collection's points.
    private static (string? Name, IReadOnlyList<string?>? Values) Colours(AnalysisData data, string? colorBy)
    {
        if (colorBy is null)
        {
            return data.Labels is null ? (null, null) : (data.LabelName ?? "label", data.Labels);
        }

        if (data.Labels is not null && (colorBy == "label" || colorBy == data.LabelName))
        {
            return (data.LabelName ?? colorBy, data.Labels);
        }

        if (data.Payloads is null)
        {
            throw new QuiverException(
                colorBy == "label"
                    ? $"{data.Source} has no labels to colour by. Name the label column with --label-column NAME (or --labels FILE for a .npy matrix)."
                    : $"--color-by {colorBy}: {data.Source} has no payload fields; a file's points can be coloured by their label only (--color-by label with --label-column NAME).");
        }

        var values = data.Payloads.Select(p => p?[colorBy] switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            var node => node.ToJsonString(),
        }).ToList();
        if (values.All(v => v is null))
        {
            var fields = data.Payloads.Where(p => p is not null).SelectMany(p => p!.Select(kv => kv.Key)).Distinct(StringComparer.Ordinal).Take(20).ToList();
            var hint = colorBy == "cluster" ? " Run 'quiver cluster -c NAME --write' first to give each point its cluster." : string.Empty;
            throw new QuiverException(
                $"No point of {data.Source} has the payload field '{colorBy}' (fields its points have: {(fields.Count == 0 ? "none" : string.Join(", ", fields))}).{hint} Name a field with --color-by FIELD.");
        }

        return (colorBy, values);
    }

    private static ProjectionResult Run(CliContext context, List<float[]> vectors, ProjectionOptions options, string source, CancellationToken cancellationToken)
    {
        if (options.Method == ProjectionMethod.Pca)
        {
            context.Note($"PCA of {vectors.Count:N0} points of {source}");
            return Projector.Project(vectors, options, cancellationToken: cancellationToken);
        }

        ProjectionResult? map = null;
        context.ErrorConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                var gate = new Lock();

                // Neighbour rows are reported from several threads, out of order: keep the largest count seen.
                var report = new SynchronousProgress<ProjectionProgress>(p =>
                {
                    lock (gate)
                    {
                        if (!tasks.TryGetValue(p.Stage, out var task))
                        {
                            task = progress.AddTask(Markup.Escape($"{p.Stage} of {vectors.Count:N0} points"), maxValue: p.Total);
                            tasks[p.Stage] = task;
                        }

                        task.Value = Math.Max(task.Value, p.Done);
                    }
                });
                map = Projector.Project(vectors, options, report, cancellationToken);
                foreach (var task in tasks.Values)
                {
                    task.Value = task.MaxValue;
                }
            });
        return map!;
    }

    private static List<ProjectedPoint> Rows(ProjectionResult map, AnalysisData data, IReadOnlyList<string?>? colours) =>
        [.. map.Points.Select((p, i) => new ProjectedPoint(data.Ids[i], data.Collections?[i], p, colours?[i]))];

    private static void Write(string path, ProjectionResult map, AnalysisData data, string? colourName, IReadOnlyList<string?>? colours, ProjectionOptions options)
    {
        var temporary = path + ".partial";
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            var document = new
            {
                data.Source,
                Method = options.Method.ToString().ToLowerInvariant(),
                options.Dimensions,
                options.Seed,
                map.ExplainedVarianceRatio,
                ColorBy = colourName,
                Points = Rows(map, data, colours),
            };
            File.WriteAllText(temporary, System.Text.Json.JsonSerializer.Serialize(document, CliContext.Json));
        }
        else
        {
            using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false)))
            {
                var header = new List<string> { "id" };
                if (data.Collections is not null && data.Collections.Distinct().Skip(1).Any())
                {
                    header.Add("collection");
                }

                header.AddRange(new[] { "x", "y", "z" }.Take(options.Dimensions));
                if (colourName is not null)
                {
                    header.Add(colourName);
                }

                writer.WriteLine(string.Join(',', header.Select(Csv)));
                for (var i = 0; i < data.Count; i++)
                {
                    var cells = new List<string> { Csv(data.Ids[i]) };
                    if (header[1] == "collection")
                    {
                        cells.Add(Csv(data.Collections![i]));
                    }

                    cells.AddRange(map.Points[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
                    if (colours is not null)
                    {
                        cells.Add(Csv(colours[i] ?? string.Empty));
                    }

                    writer.WriteLine(string.Join(',', cells));
                }
            }
        }

        // Written aside and moved into place, so an interrupted run never leaves a half-written map behind.
        File.Move(temporary, path, overwrite: true);
    }

    private static string DisplayName(string method) => method == "tsne" ? "t-SNE" : method.ToUpperInvariant();

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    private static void Print(CliContext context, ProjectSummary summary, ProjectionResult map, AnalysisData data, IReadOnlyList<string?>? colours)
    {
        context.Console.MarkupLine(Markup.Escape(
            $"{DisplayName(summary.Method)} of {summary.Points:N0} points of {summary.Source} to {summary.Dimensions}-D (seed {summary.Seed}) in {summary.Seconds:F1} s"));
        if (summary.ExplainedVarianceRatio.Count > 0)
        {
            context.Console.MarkupLine(Markup.Escape(
                $"explained variance: {string.Join(", ", summary.ExplainedVarianceRatio.Select(r => r.ToString("P2", CultureInfo.InvariantCulture)))} (together {summary.ExplainedVarianceRatio.Sum():P2})"));
        }

        if (summary.Output is not null)
        {
            context.Console.MarkupLine(Markup.Escape($"coordinates: {summary.Output}"));
        }

        if (summary.Plot is not null)
        {
            context.Console.MarkupLine(Markup.Escape($"plot: {summary.Plot}{(summary.ColorBy is null ? string.Empty : $" (coloured by {summary.ColorBy})")}"));
        }

        if (summary.Output is null)
        {
            var table = new Table().AddColumn("id").AddColumns(new[] { "x", "y", "z" }.Take(summary.Dimensions).Select(c => new TableColumn(c).RightAligned()).ToArray());
            if (colours is not null)
            {
                table.AddColumn(Markup.Escape(summary.ColorBy ?? "label"));
            }

            foreach (var i in Enumerable.Range(0, Math.Min(10, data.Count)))
            {
                var cells = new List<string> { Markup.Escape(data.Ids[i]) };
                cells.AddRange(map.Points[i].Select(v => v.ToString("F3", CultureInfo.InvariantCulture)));
                if (colours is not null)
                {
                    cells.Add(Markup.Escape(colours[i] ?? string.Empty));
                }

                table.AddRow(cells.ToArray());
            }

            context.Console.Write(table);
            if (data.Count > 10)
            {
                context.Console.MarkupLine(Markup.Escape($"… {data.Count - 10:N0} more; write them all with -o FILE.csv or FILE.json"));
            }
        }
    }

    private sealed record ProjectSummary(
        string Source, string Method, int Dimensions, int Seed, int Points, double Seconds, IReadOnlyList<double> ExplainedVarianceRatio,
        string? Output, string? Plot, string? ColorBy);

    private sealed record ProjectedPoint(string Id, string? Collection, float[] Coordinates, string? Category);
}
