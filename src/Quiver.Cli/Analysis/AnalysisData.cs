using System.Text.Json.Nodes;
using Quiver.Core;
using Quiver.Core.Spaces;

namespace Quiver.Cli.Analysis;

/// <summary>
/// The points an analysis verb works on, whatever they came from (collections, a labelled CSV or JSONL file embedded
/// with a model, a .npy matrix): one vector per point, row after row, with its id, text, label and payload when the
/// source has them.
/// </summary>
internal sealed class AnalysisData
{
    /// <summary>What the points came from, in words, for messages ("collection 'docs'", "'news.csv' embedded with glove-100").</summary>
    public required string Source { get; init; }

    /// <summary>The space of the vectors; null for a .npy matrix, whose vectors carry no model.</summary>
    public EmbeddingSpace? Space { get; init; }

    /// <summary>Count × Dimensions values, row-major.</summary>
    public required float[] Vectors { get; init; }

    public required int Count { get; init; }

    public required int Dimensions { get; init; }

    public required IReadOnlyList<string> Ids { get; init; }

    /// <summary>Each point's text; null where it has none (a .npy matrix, points upserted without text).</summary>
    public required IReadOnlyList<string?> Texts { get; init; }

    /// <summary>Each point's label, null where it has none; the list itself is null when no label was asked for or found.</summary>
    public IReadOnlyList<string?>? Labels { get; init; }

    /// <summary>The name of the label column or payload field the labels came from.</summary>
    public string? LabelName { get; init; }

    /// <summary>Each point's payload, for points from collections.</summary>
    public IReadOnlyList<JsonObject?>? Payloads { get; init; }

    /// <summary>For points from collections, the collection each came from; null for files.</summary>
    public IReadOnlyList<string>? Collections { get; init; }

    /// <summary>Inputs skipped while loading (texts with no word a word-vector model knows), named for the summary.</summary>
    public int Skipped { get; init; }

    public ReadOnlySpan<float> Row(int i) => Vectors.AsSpan(i * Dimensions, Dimensions);

    /// <summary>
    /// The labels as integer codes (0, 1, … in order of first appearance) with their names; refused when there are no
    /// labels, a point has none, or all points share one label (nothing to compare a grouping with).
    /// </summary>
    public (int[] Codes, IReadOnlyList<string> Names) RequireLabels(string purpose)
    {
        if (Labels is null)
        {
            throw new QuiverException(
                $"{purpose} needs a label per point, and {Source} has none. Name the column (CSV/JSONL) or payload field (collection) that holds them with --label-column NAME, or --labels FILE for a .npy matrix.");
        }

        var names = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var codes = new int[Count];
        for (var i = 0; i < Count; i++)
        {
            var label = Labels[i] ?? throw new QuiverException(
                $"{purpose} needs a label per point, but point '{Ids[i]}' of {Source} has no '{LabelName}'. Give every point a label, or leave the labels out.");
            if (!index.TryGetValue(label, out var code))
            {
                code = names.Count;
                index[label] = code;
                names.Add(label);
            }

            codes[i] = code;
        }

        if (names.Count < 2)
        {
            throw new QuiverException(
                $"{purpose} needs at least two different labels, but every point of {Source} has the label '{names[0]}' in '{LabelName}'. Check that --label-column names the column that tells the classes apart.");
        }

        return (codes, names);
    }

    /// <summary>Refuses when there are fewer than <paramref name="points"/> points, naming the source and the reason.</summary>
    public void RequireAtLeast(int points, string reason)
    {
        if (Count < points)
        {
            throw new QuiverException($"{Source} has {Count:N0} point{(Count == 1 ? string.Empty : "s")}, fewer than the {points:N0} that {reason} needs. Add points or ask for less.");
        }
    }
}
