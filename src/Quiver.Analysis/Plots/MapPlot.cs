using Quiver.Core;
using ScottPlot;

namespace Quiver.Analysis.Plots;

/// <summary>
/// A scatter of a 2-D projection, each point coloured by its category (a label, a payload field, a cluster), with a
/// legend of the largest categories and their counts; the rest share a grey "other". Optional text labels (cluster
/// names) are drawn on top. Written as PNG or SVG by the file's extension.
/// </summary>
public static class MapPlot
{
    /// <summary>The name given to the categories beyond <see cref="MapPlotOptions.MaxCategories"/>.</summary>
    public const string Other = "other";

    /// <summary>The name given to points with no category.</summary>
    public const string None = "(none)";

    private static readonly Color OtherColor = Color.FromHex("#b0b0b0");

    /// <param name="categories">One per point, or null to draw every point in one colour without a legend.</param>
    /// <param name="labels">Texts to draw over the points, or null.</param>
    public static void Save(
        string path,
        IReadOnlyList<float[]> points,
        IReadOnlyList<string?>? categories,
        MapPlotOptions options,
        IReadOnlyList<MapLabel>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(options);
        if (points.Count == 0)
        {
            throw new QuiverException("There are no points to plot.");
        }

        if (points.Any(p => p.Length < 2))
        {
            throw new QuiverException("A map plot needs 2-D points; project to 2 dimensions (a 3-D map can be written as CSV or JSON but not drawn).");
        }

        if (categories is not null && categories.Count != points.Count)
        {
            throw new ArgumentException($"{points.Count} points but {categories.Count} categories; give one category per point.", nameof(categories));
        }

        if (options.MaxCategories < 1)
        {
            throw new QuiverException($"A map needs at least one coloured category; got {options.MaxCategories}.");
        }

        PlotFonts.Ensure();
        var plot = new Plot();
        var size = options.PointSize ?? (points.Count <= 1_000 ? 6 : points.Count <= 10_000 ? 4 : 2.5f);
        if (categories is null)
        {
            var all = Enumerable.Range(0, points.Count).ToList();
            AddMarkers(plot, points, all, new ScottPlot.Palettes.Category10().GetColor(0), size, legend: null);
        }
        else
        {
            AddCategories(plot, points, categories, options, size);
        }

        foreach (var label in labels ?? [])
        {
            var text = plot.Add.Text(label.Text, label.X, label.Y);
            text.LabelFontSize = 13;
            text.LabelBold = true;
            text.LabelAlignment = Alignment.MiddleCenter;
            text.LabelBackgroundColor = Colors.White.WithAlpha(0.75);
            text.LabelBorderColor = Colors.Gray;
            text.LabelBorderWidth = 1;
            text.LabelPadding = 3;
        }

        if (options.Title is not null)
        {
            plot.Title(options.Title);
        }

        plot.XLabel(options.XLabel);
        plot.YLabel(options.YLabel);
        plot.HideGrid();
        PlotFile.Save(plot, path, options.Width, options.Height);
    }

    private static void AddCategories(Plot plot, IReadOnlyList<float[]> points, IReadOnlyList<string?> categories, MapPlotOptions options, float size)
    {
        // Largest first; equal sizes in name order, so the colours do not depend on the order of the points.
        var groups = Enumerable.Range(0, points.Count)
            .GroupBy(i => categories[i] ?? None, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var shown = groups.Count <= options.MaxCategories ? groups : groups.Take(options.MaxCategories - 1).ToList();
        var rest = groups.Skip(shown.Count).SelectMany(g => g).ToList();
        var palette = groups.Count <= 10 ? (IPalette)new ScottPlot.Palettes.Category10() : new ScottPlot.Palettes.Category20();

        // "other" goes underneath, so the named categories stay visible where they overlap it.
        if (rest.Count > 0)
        {
            AddMarkers(plot, points, rest, OtherColor, size, $"{Other} ({groups.Count - shown.Count} more, {rest.Count:N0})");
        }

        for (var c = 0; c < shown.Count; c++)
        {
            var name = shown[c].Key.Length > 40 ? string.Concat(shown[c].Key.AsSpan(0, 39), "…") : shown[c].Key;
            AddMarkers(plot, points, [.. shown[c]], palette.GetColor(c), size, $"{name} ({shown[c].Count():N0})");
        }

        plot.ShowLegend(Edge.Right);
    }

    private static void AddMarkers(Plot plot, IReadOnlyList<float[]> points, List<int> members, Color color, float size, string? legend)
    {
        var xs = members.Select(i => (double)points[i][0]).ToArray();
        var ys = members.Select(i => (double)points[i][1]).ToArray();
        var markers = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, size, color.WithAlpha(0.8));
        if (legend is not null)
        {
            markers.LegendText = legend;
        }
    }
}
