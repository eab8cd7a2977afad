using System.CommandLine;
using System.Diagnostics;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Quiver.Store.Collections;
using Quiver.Store.Export;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>
/// <c>quiver export -c docs -o docs.parquet</c>: a collection's vectors, payloads and texts to JSONL, .npy or Parquet,
/// streamed from one read snapshot in bounded memory (<see cref="CollectionExport"/>).
/// </summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var collection = CliOptions.Collection();
        var output = new Option<FileInfo>("--output", "-o")
        {
            Description = "The file to write: .jsonl (one point per line: id, vector, payload, text), .npy (float32 vectors, with NAME.points.jsonl beside it giving each row's id, payload and text) or .parquet (columns id, vector, payload as JSON, text)",
            Required = true,
        };
        var format = new Option<ExportFormat?>("--format") { Description = "jsonl, npy or parquet (default: from the output's extension)" };
        var where = CliOptions.Where("Export only points whose payload matches");
        var batch = new Option<int>("--batch")
        {
            Description = "Points read, held in memory and written at a time (a Parquet row group)",
            DefaultValueFactory = _ => ExportOptions.DefaultBatchSize,
        }.AtLeast(1, "8192");
        var force = new Option<bool>("--force") { Description = "Replace existing output files" };
        var command = new Command(
            "export",
            "Write a collection's vectors, payloads and texts to a file, streaming in bounded memory. The output appears " +
            "under its name only when complete.\n\n" +
            "Examples:\n" +
            "  quiver export -c docs -o docs.parquet\n" +
            "  quiver export -c docs -o docs.npy --where lang=en      # docs.npy and docs.points.jsonl\n" +
            "  quiver export -c docs -o docs.jsonl --json")
        {
            collection, output, format, where, batch, force,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(output)!.FullName;
            var exportFormat = result.GetValue(format) ?? CollectionExport.FormatOf(path);
            var options = new ExportOptions
            {
                Filter = CliOptions.Filter(result, where),
                Overwrite = result.GetValue(force),
                BatchSize = result.GetValue(batch),
            };
            using var source = CollectionStore.FromPaths(context.Paths).Open(result.GetValue(collection)!);
            var clock = Stopwatch.StartNew();
            var exported = context.ErrorConsole.Profile.Capabilities.Interactive
                ? await WithBar(context, source, path, exportFormat, options, clock, cancellationToken)
                : await WithLines(context, source, path, exportFormat, options, clock, cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new
                {
                    Collection = source.Name,
                    Format = exported.Format.ToString().ToLowerInvariant(),
                    exported.Files,
                    exported.Points,
                    exported.Dimensions,
                    exported.Bytes,
                    Seconds = seconds,
                });
            }
            else
            {
                context.Console.MarkupLine(
                    $"[green]exported[/] {exported.Points:N0} points ({exported.Dimensions}-d) from {Markup.Escape(source.Name)} to " +
                    $"{string.Join(" and ", exported.Files.Select(f => $"[bold]{Markup.Escape(f)}[/]"))}: {exported.Bytes / 1e6:F1} MB in {seconds:F1} s");
            }

            return 0;
        });
        return command;
    }

    private static string Describe(ExportProgress p, TimeSpan elapsed) =>
        $"{p.Points:N0}/{p.Total:N0} points · {p.Points / Math.Max(elapsed.TotalSeconds, 1e-3):N0} points/s";

    // A terminal gets a live bar by points.
    private static Task<ExportResult> WithBar(CliContext context, Collection source, string path, ExportFormat format, ExportOptions options, Stopwatch clock, CancellationToken cancellationToken) =>
        context.ErrorConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progressContext =>
            {
                var task = progressContext.AddTask("exporting", maxValue: 1);
                return await CollectionExport.Write(source, path, format, options, new SynchronousProgress<ExportProgress>(p =>
                {
                    task.MaxValue = Math.Max(p.Total, 1);
                    task.Value = p.Points;
                    task.Description = Markup.Escape(Describe(p, clock.Elapsed));
                }), cancellationToken);
            });

    // Redirected standard error (a log, CI): a progress line every 5 seconds.
    private static Task<ExportResult> WithLines(CliContext context, Collection source, string path, ExportFormat format, ExportOptions options, Stopwatch clock, CancellationToken cancellationToken)
    {
        var last = TimeSpan.Zero;
        return CollectionExport.Write(source, path, format, options, new SynchronousProgress<ExportProgress>(p =>
        {
            if (clock.Elapsed - last >= TimeSpan.FromSeconds(5))
            {
                last = clock.Elapsed;
                context.Note(Describe(p, clock.Elapsed));
            }
        }), cancellationToken);
    }
}
