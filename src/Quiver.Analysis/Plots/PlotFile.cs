using Quiver.Core;

namespace Quiver.Analysis.Plots;

/// <summary>Writes a finished plot as PNG or SVG, chosen by the file's extension.</summary>
public static class PlotFile
{
    /// <summary>Refuses a path a plot cannot be written to (not .png or .svg, or in a missing folder), before any work is done.</summary>
    public static void Check(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".png" or ".svg"))
        {
            throw new QuiverException($"Cannot tell the image format of '{path}': name the plot file .png or .svg.");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new QuiverException($"The folder '{folder}' of the plot file does not exist; create it or write the plot elsewhere.");
        }
    }

    internal static void Save(ScottPlot.Plot plot, string path, int width, int height)
    {
        if (width < 100 || height < 100)
        {
            throw new QuiverException($"A plot needs at least 100 × 100 pixels; got {width} × {height}.");
        }

        Check(path);
        if (Path.GetExtension(path).Equals(".png", StringComparison.OrdinalIgnoreCase))
        {
            plot.SavePng(path, width, height);
        }
        else
        {
            plot.SaveSvg(path, width, height);
        }
    }
}
