using System.CommandLine;
using System.Numerics.Tensors;
using Quiver.Analysis.Outliers;
using Quiver.Cli.Analysis;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Quiver.Store.Collections;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>
/// <c>quiver outliers -c docs</c>: the points least like their neighbours, by local outlier factor or kNN distance,
/// from collections or a file; optionally each point's score written into its payload.
/// </summary>
internal static class OutliersCommand
{
    public static Command Create(CliContext context)
    {
        var input = new AnalysisInput(context);
        var k = new Option<int>("--neighbours", "-k")
        {
            Description = "Neighbourhood size: each point is compared with its k nearest (by cosine: vectors are scaled to unit length first)",
            DefaultValueFactory = _ => 20,
        }.AtLeast(1, "20");
        var method = new Option<OutlierMethod>("--method") { Description = "Lof (local outlier factor: density against the neighbours', about 1 inside any cluster) or KnnDistance (mean distance to the k nearest)", DefaultValueFactory = _ => OutlierMethod.Lof };
        var top = new Option<int>("--top", "-n") { Description = "Outliers to show, highest score first", DefaultValueFactory = _ => 10 }.AtLeast(1, "10");
        var write = new Option<string?>("--write") { Description = "Store each point's score in this payload field of its collection (collections only), to filter or colour by it" };
        var command = new Command(
            "outliers",
            "The points least like their neighbours: local outlier factor (default) or mean distance to the k nearest, from collections or a file.\n\n" +
            "Examples:\n" +
            "  quiver outliers -c docs --top 5\n" +
            "  quiver outliers -c docs --write outlier_score        # then: quiver search … --where outlier_score>1.5\n" +
            "  quiver outliers --input texts.csv --text-column text -m all-minilm-l6-v2 --json")
        {
            k, method, top, write,
        };
        input.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var field = result.GetValue(write);
            var data = await input.LoadAsync(result, cancellationToken);
            if (field is not null && data.Collections is null)
            {
                throw new QuiverException("--write stores scores in collection payloads; points read from a file have no collection. Drop --write, or index the file first.");
            }

            var vectors = new List<float[]>(data.Count);
            for (var i = 0; i < data.Count; i++)
            {
                var row = data.Row(i).ToArray();
                var norm = TensorPrimitives.Norm(row);
                if (norm == 0)
                {
                    throw new QuiverException($"Point '{data.Ids[i]}' of {data.Source} is a zero vector, which has no direction to compare by cosine. Remove it first.");
                }

                TensorPrimitives.Divide(row, norm, row);
                vectors.Add(row);
            }

            var neighbours = result.GetValue(k);
            var scoring = result.GetValue(method);
            context.Note($"scoring {data.Count:N0} points by {(scoring == OutlierMethod.Lof ? "local outlier factor" : "kNN distance")} with k = {neighbours}");
            var scores = OutlierScores.Compute(vectors, neighbours, scoring, cancellationToken);
            var ranked = Enumerable.Range(0, data.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(result.GetValue(top)).ToList();
            var written = field is null ? 0 : Write(context, data, scores, field);
            if (result.GetValue(CliOptions.Json))
            {
                context.WriteJson(new
                {
                    data.Source,
                    Method = scoring.ToString(),
                    K = neighbours,
                    Points = data.Count,
                    Written = field is null ? null : new { Field = field, Points = written },
                    Outliers = ranked.Select(i => new { Id = data.Ids[i], Score = scores[i], Text = data.Texts[i], Label = data.Labels?[i] }),
                });
                return 0;
            }

            var table = new Table().AddColumns("rank", "id", scoring == OutlierMethod.Lof ? "lof" : "knn dist", "text");
            var rank = 1;
            foreach (var i in ranked)
            {
                var text = (data.Texts[i] ?? string.Empty).ReplaceLineEndings(" ");
                table.AddRow((rank++).ToString(), Markup.Escape(data.Ids[i]), $"{scores[i]:F3}", Markup.Escape(text.Length <= 100 ? text : text[..99] + "…"));
            }

            context.Console.Write(table);
            var median = scores.Order().ElementAt(scores.Length / 2);
            context.Console.MarkupLine($"[grey]{data.Count:N0} points of {Markup.Escape(data.Source)}; median score {median:F3}{(field is null ? string.Empty : $"; '{Markup.Escape(field)}' written to {written:N0} payloads")}[/]");
            return 0;
        });
        return command;
    }

    // One payload edit per point (each score differs); the points' other payload fields and vectors are untouched.
    private static int Write(CliContext context, AnalysisData data, double[] scores, string field)
    {
        var store = CollectionStore.FromPaths(context.Paths);
        var written = 0;
        foreach (var group in Enumerable.Range(0, data.Count).GroupBy(i => data.Collections![i]))
        {
            using var collection = store.Open(group.Key);
            foreach (var i in group)
            {
                var score = Math.Round(scores[i], 6);
                written += collection.EditPayload([data.Ids[i]], null, payload =>
                {
                    payload ??= [];
                    payload[field] = score;
                    return payload;
                });
            }

            context.Note($"wrote '{field}' into the payloads of {group.Count():N0} points of '{group.Key}'");
        }

        return written;
    }
}
