using System.CommandLine;
using System.Diagnostics;
using Quiver.Core;
using Quiver.Store.Collections;
using Quiver.Store.Snapshots;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>
/// <c>quiver collections snapshot NAME [-o FILE]</c> and <c>quiver collections restore FILE [--name NAME]</c>: one
/// checksummed file per collection (<see cref="Collection.WriteSnapshot"/>), restored only once verified whole
/// (<see cref="CollectionStore.Restore"/>).
/// </summary>
internal static class SnapshotCommands
{
    public static Command CreateSnapshot(CliContext context)
    {
        var name = new Argument<string>("collection") { Description = "The collection (or an alias of it)" };
        var output = new Option<FileInfo?>("--output", "-o")
        {
            Description = "The snapshot file to write (default: QUIVER_HOME/snapshots/NAME/NAME-yyyy-MM-dd-HH-mm-ss.snapshot, where the server lists it)",
        };
        var command = new Command(
            "snapshot",
            "Write a snapshot of a collection: a consistent copy of its SQLite database (taken with SQLite's online backup " +
            "while writers go on), its index, and SHA-256 checksums, in one tar file. The file appears under its name only when complete.\n\n" +
            "Examples:\n" +
            "  quiver collections snapshot docs\n" +
            "  quiver collections snapshot docs -o docs.snapshot --json")
        {
            name, output,
        };
        command.SetAction((result, cancellationToken) =>
        {
            using var collection = CollectionStore.FromPaths(context.Paths).Open(result.GetValue(name)!);
            var clock = Stopwatch.StartNew();
            var (path, size, checksum, points) = WithProgress(context, "snapshot", progress =>
            {
                if (result.GetValue(output) is { } file)
                {
                    var written = collection.WriteSnapshot(file.FullName, progress, cancellationToken);
                    return (written.Path, written.Size, written.Checksum, written.Points);
                }

                var kept = CollectionSnapshots.FromPaths(context.Paths).Create(collection, progress, cancellationToken);
                return (kept.Path, kept.Size, kept.Checksum ?? string.Empty, collection.Count());
            });
            var seconds = clock.Elapsed.TotalSeconds;
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new { Collection = collection.Name, File = path, Bytes = size, Sha256 = checksum, Points = points, Seconds = seconds });
            }
            else
            {
                context.Console.MarkupLine(
                    $"[green]snapshot[/] of {Markup.Escape(collection.Name)} ({points:N0} points) in [bold]{Markup.Escape(path)}[/]: {size / 1e6:F1} MB in {seconds:F1} s, sha256 {checksum}");
            }

            return Task.FromResult(0);
        });
        return command;
    }

    public static Command CreateRestore(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "The snapshot file (from quiver collections snapshot, or a server's snapshot route)" };
        var name = new Option<string?>("--name") { Description = "The collection to restore into (default: the name recorded in the snapshot; an alias restores into its collection)" };
        var replace = new Option<bool>("--replace") { Description = "Replace a collection of that name (swapped only after the snapshot has been verified)" };
        var checksum = new Option<string?>("--checksum") { Description = "The SHA-256 the file must have (64 hex digits), checked before anything else" };
        var command = new Command(
            "restore",
            "Restore a collection from a snapshot file. Every part is checked against the snapshot's SHA-256 manifest before " +
            "anything is put in place: a truncated or damaged file is refused and no collection changes.\n\n" +
            "Examples:\n" +
            "  quiver collections restore docs.snapshot\n" +
            "  quiver collections restore docs.snapshot --name docs-copy --json\n" +
            "  quiver collections restore docs.snapshot --replace")
        {
            file, name, replace, checksum,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var path = result.GetValue(file)!.FullName;
            if (!File.Exists(path))
            {
                throw new QuiverException($"There is no snapshot file {path}. Give the path of a file written by quiver collections snapshot.");
            }

            var clock = Stopwatch.StartNew();
            var store = CollectionStore.FromPaths(context.Paths);
            var restored = WithProgress(context, "restore", progress =>
                store.Restore(path, new RestoreOptions(result.GetValue(name), result.GetValue(replace), result.GetValue(checksum)), progress, cancellationToken));
            var seconds = clock.Elapsed.TotalSeconds;
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new { restored.Name, restored.Points, restored.Sequence, restored.Replaced, restored.Bytes, Seconds = seconds });
            }
            else
            {
                context.Console.MarkupLine(
                    $"[green]restored[/] {Markup.Escape(restored.Name)} ({restored.Points:N0} points{(restored.Replaced ? ", replacing the old collection" : string.Empty)}) from {Markup.Escape(path)} in {seconds:F1} s");
            }

            return Task.FromResult(0);
        });
        return command;
    }

    // A terminal gets a live bar by bytes; redirected standard error a line every 5 seconds.
    private static T WithProgress<T>(CliContext context, string verb, Func<IProgress<SnapshotProgress>, T> run)
    {
        var clock = Stopwatch.StartNew();
        if (!context.ErrorConsole.Profile.Capabilities.Interactive)
        {
            var last = TimeSpan.Zero;
            return run(new SynchronousProgress<SnapshotProgress>(p =>
            {
                if (clock.Elapsed - last >= TimeSpan.FromSeconds(5))
                {
                    last = clock.Elapsed;
                    context.Note(Describe(verb, p));
                }
            }));
        }

        return context.ErrorConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progressContext =>
            {
                var task = progressContext.AddTask(verb, maxValue: 1);
                return run(new SynchronousProgress<SnapshotProgress>(p =>
                {
                    task.MaxValue = Math.Max(p.TotalBytes, 1);
                    task.Value = p.Bytes;
                    task.Description = Markup.Escape(Describe(verb, p));
                }));
            });
    }

    private static string Describe(string verb, SnapshotProgress p) =>
        p.TotalBytes > 0 ? $"{verb}: {p.Stage} {p.Bytes / 1e6:F0}/{p.TotalBytes / 1e6:F0} MB" : $"{verb}: {p.Stage}";
}
