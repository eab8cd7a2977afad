using Quiver.Analysis.Clustering;
using Quiver.Analysis.Topics;
using Quiver.Cli.Analysis;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>What <c>quiver cluster</c> prints: a table of clusters (size, keywords, a representative text) and a summary, or the same as JSON.</summary>
internal sealed class ClusterReport(
    AnalysisData data, ClusterOutcome outcome, IReadOnlyList<Topic> topics, bool withKeywords, double? silhouette, ClusterAgreement? agreement, double seconds, int written)
{
    private const int SnippetLength = 90;

    public void WriteJson(CliContext context, bool assignments) => context.WriteJson(new
    {
        Source = data.Source,
        Model = data.Space?.ModelId,
        Points = data.Count,
        data.Dimensions,
        data.Skipped,
        outcome.Method,
        Clusters = outcome.ClusterCount,
        Noise = outcome.Labels.Count(l => l < 0),
        Inertia = outcome.KMeans?.Inertia,
        Iterations = outcome.KMeans?.Iterations,
        MiniBatch = outcome.KMeans?.MiniBatch,
        Silhouette = silhouette,
        Seconds = seconds,
        KRange = outcome.Scores?.Select(s => new { s.K, s.Silhouette, s.Inertia }),
        Agreement = agreement is null ? null : new { LabelField = data.LabelName, agreement.Homogeneity, agreement.Completeness, agreement.VMeasure, Ari = agreement.AdjustedRandIndex },
        PayloadsWritten = written,
        Topics = topics.Select(t => new
        {
            t.Cluster,
            t.Size,
            Topic = withKeywords ? (t.Cluster < 0 ? "noise" : t.Name) : null,
            Keywords = withKeywords ? t.Keywords.Select(k => new { k.Word, k.Weight }) : null,
            Representatives = t.Representatives.Select(i => new { Id = data.Ids[i], Text = data.Texts[i] }),
        }),
        Assignments = assignments ? new { Ids = data.Ids, Clusters = outcome.Labels } : null,
    });

    public void WriteTable(CliContext context)
    {
        var console = context.Console;
        if (outcome.Scores is { } scores)
        {
            var kTable = new Table().AddColumns("k", "silhouette", "inertia");
            foreach (var s in scores)
            {
                var best = s.K == outcome.ClusterCount;
                kTable.AddRow(best ? $"[bold]{s.K}[/]" : s.K.ToString(), best ? $"[bold]{s.Silhouette:F4}[/]" : s.Silhouette.ToString("F4"), s.Inertia.ToString("G6"));
            }

            console.Write(kTable);
        }

        var table = new Table().AddColumn("cluster").AddColumn("size", c => c.RightAligned());
        if (withKeywords)
        {
            table.AddColumn("keywords");
        }

        table.AddColumn("representative");
        foreach (var t in topics.OrderBy(t => t.Cluster < 0).ThenByDescending(t => t.Size).ThenBy(t => t.Cluster))
        {
            var cells = new List<string> { t.Cluster < 0 ? "noise" : t.Cluster.ToString(), t.Size.ToString("N0") };
            if (withKeywords)
            {
                cells.Add(Markup.Escape(string.Join(", ", t.Keywords.Select(k => k.Word))));
            }

            cells.Add(Markup.Escape(t.Representatives.Count == 0 ? string.Empty : Snippet(t.Representatives[0])));
            table.AddRow([.. cells]);
        }

        console.Write(table);
        var summary = $"{outcome.Method}: {outcome.ClusterCount} clusters of {data.Count:N0} points ({data.Dimensions}-d, {data.Source})";
        if (outcome.KMeans is { } fit)
        {
            summary += $", inertia {fit.Inertia:G6} after {fit.Iterations} {(fit.MiniBatch ? "mini-batch steps" : "iterations")}";
        }

        if (outcome.Hdbscan is { } density)
        {
            summary += $", {density.NoiseCount:N0} noise";
        }

        if (silhouette is { } s2)
        {
            summary += $", silhouette {s2:F4}";
        }

        console.MarkupLine($"[grey]{Markup.Escape(summary)}; {seconds:F1} s[/]");
        if (agreement is not null)
        {
            console.MarkupLine(
                $"against the labels in '{Markup.Escape(data.LabelName ?? string.Empty)}': V-measure [bold]{agreement.VMeasure:F4}[/] (homogeneity {agreement.Homogeneity:F4}, completeness {agreement.Completeness:F4}), ARI [bold]{agreement.AdjustedRandIndex:F4}[/]");
        }

        if (written > 0)
        {
            console.MarkupLine($"wrote '{ClusterPayloads.ClusterField}' and '{ClusterPayloads.TopicField}' into {written:N0} payloads; filter with --where {ClusterPayloads.ClusterField}=N");
        }
    }

    // The start of a point's text on one line, or its id when it has none (a .npy row).
    private string Snippet(int point)
    {
        var text = data.Texts[point];
        if (string.IsNullOrWhiteSpace(text))
        {
            return $"id {data.Ids[point]}";
        }

        var line = string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= SnippetLength ? line : line[..(SnippetLength - 1)] + "…";
    }
}
