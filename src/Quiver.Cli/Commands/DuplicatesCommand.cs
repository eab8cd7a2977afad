using System.CommandLine;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Quiver.Store.Collections;
using Quiver.Store.Duplicates;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>
/// <c>quiver duplicates -c docs --threshold 0.95</c>: near-duplicate groups of a collection found through its index
/// (<see cref="NearDuplicates"/>), and with <c>--delete</c> all but the first point of each group removed.
/// </summary>
internal static class DuplicatesCommand
{
    public static Command Create(CliContext context)
    {
        var collection = CliOptions.Collection();
        var threshold = new Option<double>("--threshold", "-t") { Description = "Least cosine similarity of a near-duplicate pair", DefaultValueFactory = _ => 0.95 }.Between(-1, 1, "0.95");
        var neighbours = new Option<int>("--neighbours", "-k") { Description = "Neighbours searched per point", DefaultValueFactory = _ => 16 }.AtLeast(1, "16");
        var exact = new Option<bool>("--exact") { Description = "Compare every pair by scanning (quadratic) instead of searching the index" };
        var where = CliOptions.Where("Only points whose payload matches");
        var top = new Option<int>("--top", "-n") { Description = "Groups to show, largest first", DefaultValueFactory = _ => 20 }.AtLeast(1, "20");
        var delete = new Option<bool>("--delete") { Description = "Delete every point of each group but the first in id order (the one shown as kept)" };
        var command = new Command(
            "duplicates",
            "Near-duplicate points of a collection by cosine similarity, found through its index and grouped; --delete keeps one per group.\n\n" +
            "Examples:\n" +
            "  quiver duplicates -c docs --threshold 0.95\n" +
            "  quiver duplicates -c docs --threshold 0.98 --delete\n" +
            "  quiver duplicates -c docs --json")
        {
            collection, threshold, neighbours, exact, where, top, delete,
        };
        command.SetAction(result =>
        {
            using var source = CollectionStore.FromPaths(context.Paths).Open(result.GetValue(collection)!);
            var options = new DuplicateOptions
            {
                Threshold = result.GetValue(threshold),
                Neighbours = result.GetValue(neighbours),
                Exact = result.GetValue(exact),
                Filter = CliOptions.Filter(result, where),
            };
            var last = DateTime.UtcNow;
            var report = NearDuplicates.Find(source, options, new SynchronousProgress<(long Done, long Total)>(p =>
            {
                if (DateTime.UtcNow - last > TimeSpan.FromSeconds(5))
                {
                    last = DateTime.UtcNow;
                    context.Note($"{p.Done:N0}/{p.Total:N0} points compared");
                }
            }));
            var deleted = result.GetValue(delete) ? source.Delete(report.Groups.SelectMany(g => g.Others).ToList()) : 0;
            var shown = report.Groups.Take(result.GetValue(top)).ToList();
            var texts = source.Get(shown.SelectMany(g => g.Ids).ToList(), withVectors: false).ToDictionary(p => p.Id, p => p.Text);
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new
                {
                    Collection = source.Name,
                    report.Points,
                    options.Threshold,
                    Pairs = report.Pairs.Count,
                    Groups = report.Groups.Count,
                    Duplicates = report.Groups.Sum(g => g.Ids.Count - 1),
                    Deleted = deleted,
                    Shown = shown.Select(g => new { g.Keep, Others = g.Others, g.LeastSimilarity, Text = texts.GetValueOrDefault(g.Keep) }),
                });
                return 0;
            }

            var table = new Table().AddColumns("size", "least cos", "kept", "others", "text");
            foreach (var group in shown)
            {
                var text = (texts.GetValueOrDefault(group.Keep) ?? string.Empty).ReplaceLineEndings(" ");
                table.AddRow(
                    group.Ids.Count.ToString(),
                    $"{group.LeastSimilarity:F3}",
                    Markup.Escape(group.Keep),
                    Markup.Escape(string.Join(", ", group.Others.Take(5)) + (group.Ids.Count > 6 ? ", …" : string.Empty)),
                    Markup.Escape(text.Length <= 80 ? text : text[..79] + "…"));
            }

            if (shown.Count > 0)
            {
                context.Console.Write(table);
            }

            var duplicates = report.Groups.Sum(g => g.Ids.Count - 1);
            context.Console.MarkupLine(
                $"{report.Groups.Count:N0} groups of near-duplicates (cosine ≥ {options.Threshold}) among {report.Points:N0} points of {Markup.Escape(source.Name)}: " +
                (result.GetValue(delete) ? $"[green]deleted[/] {deleted:N0}, one kept per group" : $"{duplicates:N0} would go with --delete, one kept per group"));
            return 0;
        });
        return command;
    }
}
