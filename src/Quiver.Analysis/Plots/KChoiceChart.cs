using Quiver.Analysis.Clustering;
using Quiver.Core;
using ScottPlot;

namespace Quiver.Analysis.Plots;

/// <summary>
/// The chart for choosing k: mean silhouette (left axis) and inertia (right axis) against k, the chosen k marked.
/// Silhouette peaks at a good k; inertia always falls, and its elbow is the other hint.
/// </summary>
public static class KChoiceChart
{
    /// <param name="chosen">The k to mark, or null for none.</param>
    public static void Save(string path, IReadOnlyList<KScore> choices, int? chosen = null, string? title = null, int width = 800, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(choices);
        if (choices.Count == 0)
        {
            throw new QuiverException("There are no values of k to chart; try at least two.");
        }

        var ordered = choices.OrderBy(c => c.K).ToArray();
        var ks = ordered.Select(c => (double)c.K).ToArray();
        PlotFonts.Ensure();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();

        var silhouette = plot.Add.Scatter(ks, ordered.Select(c => c.Silhouette).ToArray(), palette.GetColor(0));
        silhouette.LegendText = "silhouette (left)";
        silhouette.LineWidth = 2;
        silhouette.MarkerSize = 7;

        var inertia = plot.Add.Scatter(ks, ordered.Select(c => c.Inertia).ToArray(), palette.GetColor(1));
        inertia.LegendText = "inertia (right)";
        inertia.LineWidth = 2;
        inertia.MarkerSize = 7;
        inertia.LinePattern = LinePattern.Dashed;
        inertia.Axes.YAxis = plot.Axes.Right;

        if (chosen is { } k)
        {
            var line = plot.Add.VerticalLine(k, 1, Colors.Gray);
            line.LinePattern = LinePattern.Dotted;
            line.LegendText = $"chosen k = {k}";
        }

        plot.Title(title ?? "Choosing k");
        plot.XLabel("k (clusters)");
        plot.Axes.Bottom.SetTicks(ks, ordered.Select(c => c.K.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Left.Label.Text = "mean silhouette";
        plot.Axes.Right.Label.Text = "inertia";
        plot.ShowLegend(Alignment.UpperRight);
        PlotFile.Save(plot, path, width, height);
    }
}
