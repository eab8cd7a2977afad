using Quiver.Core;

namespace Quiver.Analysis.Plots;

/// <summary>Writes a finished plot as PNG or SVG, chosen by the file's extension.</summary>
internal static class PlotFile
{
    public static void Save(ScottPlot.Plot plot, string path, int width, int height)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (width < 100 || height < 100)
        {
            throw new QuiverException($"A plot needs at least 100 × 100 pixels; got {width} × {height}.");
        }

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

        if (extension == ".png")
        {
            plot.SavePng(path, width, height);
        }
        else
        {
            plot.SaveSvg(path, width, height);
        }
    }
}
