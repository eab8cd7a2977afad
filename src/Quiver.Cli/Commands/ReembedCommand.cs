using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Quiver.Catalogue;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Models.Onnx;
using Quiver.Store.Collections;
using Quiver.Store.Reembedding;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary><c>quiver collections reembed</c>: a collection's vectors made again with another model (or a new revision of its own) from its stored texts.</summary>
internal static class ReembedCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("collection") { Description = "Collection to re-embed" };
        var model = new Option<string?>("--model", "-m") { Description = "Installed text model for the new vectors (default: the collection's own model, for a new revision of it)" };
        var pooling = CliOptions.Pooling();
        var into = new Option<string?>("--into") { Description = "Write the new vectors into a new collection of this name and leave the source as it is (default: switch the collection itself)" };
        var dropTextless = new Option<bool>("--drop-textless") { Description = "Leave points without text out of the new version (counted and named); without it they stop the command before any work" };
        var force = new Option<bool>("--force") { Description = "Re-embed even when the collection already holds this model's vectors (same revision)" };
        var restart = new Option<bool>("--restart") { Description = "Discard an unfinished re-embedding of another model or source instead of refusing" };
        var batch = new Option<int>("--batch-size") { Description = "Points embedded and written per transaction and checkpoint", DefaultValueFactory = _ => ReembedOptions.DefaultBatchSize }.AtLeast(1, "64");
        var command = new Command(
            "reembed",
            "Make a collection's vectors again with another model (or a new revision of its model) from the texts it stores, with the " +
            "model's document prompt. Searches keep using the old vectors until all new ones are made, writes made meanwhile are " +
            "carried over, then the collection switches to the new version at once. Stopped (Ctrl+C, kill -9), the same command " +
            "resumes from its last checkpoint.\n\n" +
            "Examples:\n  quiver collections reembed docs --model arctic-embed-xs\n" +
            "  quiver collections reembed docs --model all-minilm-l6-v2 --into docs-minilm\n" +
            "  quiver collections reembed docs            # after the collection's model was reinstalled with a new revision")
        {
            name, model, pooling, into, dropTextless, force, restart, batch,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var store = CollectionStore.FromPaths(context.Paths);
            var collectionName = result.GetValue(name)!;
            EmbeddingSpace from;
            using (var source = store.Open(collectionName))
            {
                from = source.Space;
            }

            using var generator = OpenGenerator(context, collectionName, from, result.GetValue(model), result.GetValue(pooling));
            var job = new ReembedJob(store, collectionName, generator, new ReembedOptions
            {
                Into = result.GetValue(into),
                DropTextless = result.GetValue(dropTextless),
                Force = result.GetValue(force),
                Restart = result.GetValue(restart),
                BatchSize = result.GetValue(batch),
            });

            ReembedProgress? last = null;
            ReembedResult outcome;
            try
            {
                outcome = context.ErrorConsole.Profile.Capabilities.Interactive
                    ? await RunWithBarAsync(context, job, p => last = p, cancellationToken)
                    : await RunWithLinesAsync(context, job, p => last = p, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                context.Note($"stopped after {last?.Done ?? 0:N0} points; the collection still answers from its old vectors. Run the same command again to resume.");
                throw;
            }

            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new
                {
                    outcome.Collection,
                    outcome.Source,
                    From = outcome.From.ToString(),
                    FromModel = outcome.From.ModelId,
                    FromRevision = outcome.From.Revision,
                    To = outcome.To.ToString(),
                    Model = outcome.To.ModelId,
                    outcome.To.Revision,
                    outcome.Points,
                    outcome.Embedded,
                    outcome.Reused,
                    outcome.TextlessDropped,
                    outcome.TextlessIds,
                    outcome.ResumedFrom,
                    Seconds = outcome.Elapsed.TotalSeconds,
                    outcome.PointsPerSecond,
                    outcome.DatabasePath,
                    outcome.RetiredKept,
                });
                return 0;
            }

            context.Console.MarkupLine(
                $"[green]re-embedded[/] {outcome.Embedded:N0} points of [bold]{Markup.Escape(outcome.Source)}[/] with {Markup.Escape(outcome.To.ToString())} " +
                $"in {outcome.Elapsed.TotalSeconds:F1} s ({outcome.PointsPerSecond:N0} points/s)" +
                (outcome.ResumedFrom > 0 ? $", resuming an interrupted run (from sequence {outcome.ResumedFrom:N0})" : string.Empty) +
                (outcome.Reused > 0 ? $", {outcome.Reused:N0} kept (only their payload changed)" : string.Empty) +
                $"; [bold]{Markup.Escape(outcome.Collection)}[/] now holds {outcome.Points:N0} points from it");
            if (outcome.TextlessDropped > 0)
            {
                context.Console.MarkupLine(
                    $"[yellow]left out[/] {outcome.TextlessDropped:N0} points without text: {Markup.Escape(string.Join(", ", outcome.TextlessIds))}{(outcome.TextlessDropped > outcome.TextlessIds.Count ? ", …" : string.Empty)}");
            }

            if (outcome.RetiredKept > 0)
            {
                context.Note($"the replaced version is still open elsewhere; it is removed on a later open of '{outcome.Source}'");
            }

            return 0;
        });
        return command;
    }

    // The model named, else the collection's own as installed now (with its pooling unless another is named). The
    // collection's own model keeps the document prompt the collection recorded; another model brings its own.
    private static IEmbeddingGenerator<string, Embedding<float>> OpenGenerator(CliContext context, string collection, EmbeddingSpace from, string? model, string? pooling)
    {
        if (model is null)
        {
            if (from.IsRaw)
            {
                throw new QuiverException("The collection holds raw vectors, made by no model Quiver knows; name the model for the new vectors with --model.");
            }

            return CollectionEncoders.OpenInstalledText(context.Paths, collection, from, TextRole.Document, pooling);
        }

        var options = !from.IsRaw && model == from.Model.Name ? new TransformerEncoderOptions { Prompt = from.DocumentPrompt ?? string.Empty } : null;
        return InstalledModels.OpenTextGenerator(context.Paths, model, pooling, options, TextRole.Document);
    }

    private static Task<ReembedResult> RunWithBarAsync(CliContext context, ReembedJob job, Action<ReembedProgress> seen, CancellationToken cancellationToken) =>
        context.ErrorConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progressContext =>
            {
                var task = progressContext.AddTask("re-embedding", maxValue: 1);
                var clock = Stopwatch.StartNew();
                var outcome = await job.RunAsync(
                    new SynchronousProgress<ReembedProgress>(p =>
                    {
                        seen(p);
                        task.MaxValue = Math.Max(p.Total, 1);
                        task.Value = p.Done;
                        task.Description = Markup.Escape($"{p.Phase} · {p.Done:N0}/{p.Total:N0} points · {p.Done / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):N0}/s");
                    }),
                    cancellationToken);
                task.Value = task.MaxValue;
                return outcome;
            });

    // Redirected standard error (a log, CI): a line every 5 seconds and one per phase.
    private static Task<ReembedResult> RunWithLinesAsync(CliContext context, ReembedJob job, Action<ReembedProgress> seen, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastLine = TimeSpan.Zero;
        string? phase = null;
        return job.RunAsync(
            new SynchronousProgress<ReembedProgress>(p =>
            {
                seen(p);
                if (p.Phase == phase && clock.Elapsed - lastLine < TimeSpan.FromSeconds(5))
                {
                    return;
                }

                (phase, lastLine) = (p.Phase, clock.Elapsed);
                context.Note($"{p.Phase}: {p.Done:N0}/{p.Total:N0} points, {p.Done / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):N0}/s{(p.Resumed ? " (resumed)" : string.Empty)}");
            }),
            cancellationToken);
    }
}
