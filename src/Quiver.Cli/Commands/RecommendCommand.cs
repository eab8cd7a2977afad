using System.CommandLine;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Quiver.Store.Collections;
using Quiver.Store.Search;
using Quiver.Store.Recommendation;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>
/// <c>quiver recommend -c docs --positive ID --negative ID</c>: points like the positive examples and unlike the
/// negative ones, by Qdrant's strategies (<see cref="Recommender"/>); the examples themselves are left out.
/// </summary>
internal static class RecommendCommand
{
    public static Command Create(CliContext context)
    {
        var collection = CliOptions.Collection();
        var positive = new Option<string[]>("--positive", "-p") { Description = "Id of a point to move towards (repeatable)", AllowMultipleArgumentsPerToken = false };
        var negative = new Option<string[]>("--negative", "-n") { Description = "Id of a point to move away from (repeatable)", AllowMultipleArgumentsPerToken = false };
        var strategy = new Option<RecommendStrategy>("--strategy")
        {
            Description = "AverageVector (one query: avg(pos) + (avg(pos) - avg(neg)), searched through the index), BestScore (each point by its most similar example; an exact scan) or SumScores (similarities to positives minus negatives; an exact scan)",
            DefaultValueFactory = _ => RecommendStrategy.AverageVector,
        };
        var top = CliOptions.Top(10);
        var where = CliOptions.Where("Only recommend points whose payload matches");
        var command = new Command(
            "recommend",
            "Points like the positive examples and unlike the negative ones (Qdrant's recommend), the examples left out.\n\n" +
            "Examples:\n" +
            "  quiver recommend -c docs --positive ocean-life.md#0 --negative space-travel.md#0\n" +
            "  quiver recommend -c docs -p a.md#0 -p b.md#1 --strategy BestScore -k 5 --json")
        {
            collection, positive, negative, strategy, top, where,
        };
        command.SetAction(result =>
        {
            using var source = CollectionStore.FromPaths(context.Paths).Open(result.GetValue(collection)!);
            var positives = Vectors(source, result.GetValue(positive) ?? [], "--positive");
            var negatives = Vectors(source, result.GetValue(negative) ?? [], "--negative");
            var chosen = result.GetValue(strategy);
            var excluded = new HashSet<string>([.. result.GetValue(positive) ?? [], .. result.GetValue(negative) ?? []], StringComparer.Ordinal);
            var k = result.GetValue(top);
            var filter = CliOptions.Filter(result, where);
            if (positives.Count + negatives.Count == 0)
            {
                throw new QuiverException("Give at least one example: --positive ID (and optionally --negative ID). Ids are listed by quiver search … --json.");
            }

            var hits = chosen == RecommendStrategy.AverageVector
                ? source.Search(new SearchRequest { Vector = Recommender.AverageQuery(positives, negatives), Mode = SearchMode.Dense, K = k, Filter = filter, Exclude = excluded })
                : Recommender.Scan(source, positives, negatives, chosen, k, filter, excluded);
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new { Collection = source.Name, Strategy = chosen.ToString(), Hits = hits });
                return 0;
            }

            var table = new Table().AddColumns("#", "score", "id", "text");
            var rank = 1;
            foreach (var hit in hits)
            {
                var text = (hit.Text ?? string.Empty).ReplaceLineEndings(" ");
                table.AddRow((rank++).ToString(), $"{hit.Score:F3}", Markup.Escape(hit.Id), Markup.Escape(text.Length <= 100 ? text : text[..99] + "…"));
            }

            context.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static List<float[]> Vectors(Collection source, IReadOnlyList<string> ids, string option) =>
        [.. ids.Select(id => source.Get(id)?.Vector ?? throw new QuiverException($"{option} {id}: collection '{source.Name}' has no point with that id. Ids are listed by quiver search … --json or the server's scroll."))];
}
