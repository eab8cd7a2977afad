namespace Quiver.Analysis.Plots;

/// <summary>How <see cref="MapPlot"/> draws a 2-D map.</summary>
public sealed record MapPlotOptions
{
    /// <summary>The heading; say there what the colours stand for ("… coloured by label").</summary>
    public string? Title { get; init; }

    /// <summary>The axes' names, such as "UMAP 1" and "UMAP 2".</summary>
    public string XLabel { get; init; } = string.Empty;

    public string YLabel { get; init; } = string.Empty;

    /// <summary>The most categories given their own colour and legend entry; the rest share "other", drawn in grey.</summary>
    public int MaxCategories { get; init; } = 10;

    public int Width { get; init; } = 1000;

    public int Height { get; init; } = 700;

    /// <summary>Marker diameter in pixels; null picks one by the number of points (smaller for more).</summary>
    public float? PointSize { get; init; }
}
