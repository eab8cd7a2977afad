using Quiver.Core;

namespace Quiver.Analysis.Plots;

/// <summary>
/// Gives ScottPlot a font to write with. The SkiaSharp native build Quiver ships (no-dependency Linux assets, 4.x)
/// does not read the system's font configuration, so without this every title, tick and legend text is silently
/// left out. A sans-serif font file is looked for in the usual places (or taken from QUIVER_PLOT_FONT) and
/// registered by path, which needs no font configuration.
/// </summary>
internal static class PlotFonts
{
    public const string EnvironmentVariable = "QUIVER_PLOT_FONT";

    private const string Family = "Quiver Sans";

    // Regular and bold file names of common sans-serif fonts: DejaVu and Liberation (Debian, Ubuntu, Fedora),
    // Noto, Arial (Windows, macOS).
    private static readonly (string Regular, string Bold)[] Candidates =
    [
        ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
        ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
        ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
        ("FreeSans.ttf", "FreeSansBold.ttf"),
        ("arial.ttf", "arialbd.ttf"),
        ("Arial.ttf", "Arial Bold.ttf"),
    ];

    private static readonly Lazy<string?> Registered = new(Register);

    /// <summary>Registers a font once per process; refuses with the fix when none is found.</summary>
    public static void Ensure()
    {
        if (Registered.Value is null)
        {
            throw new QuiverException(
                $"No font was found to write the plot's text. Install one (Debian/Ubuntu: apt-get install fonts-dejavu-core) or set {EnvironmentVariable} to a .ttf file.");
        }
    }

    private static string? Register()
    {
        var (regular, bold) = Find();
        if (regular is null)
        {
            return null;
        }

        ScottPlot.Fonts.AddFontFile(Family, regular, bold: false, italic: false);
        ScottPlot.Fonts.AddFontFile(Family, bold ?? regular, bold: true, italic: false);
        ScottPlot.Fonts.Default = Family;
        ScottPlot.Fonts.Sans = Family;
        return regular;
    }

    private static (string? Regular, string? Bold) Find()
    {
        var chosen = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(chosen))
        {
            if (!File.Exists(chosen))
            {
                throw new QuiverException($"{EnvironmentVariable} names '{chosen}', which does not exist. Set it to a .ttf font file, or unset it to search the usual places.");
            }

            return (chosen, null);
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var folders = new[]
        {
            "/usr/share/fonts", "/usr/local/share/fonts", Path.Combine(home, ".fonts"), Path.Combine(home, ".local/share/fonts"),
            "/Library/Fonts", "/System/Library/Fonts/Supplemental", Environment.GetFolderPath(Environment.SpecialFolder.Fonts),
        }.Where(f => !string.IsNullOrEmpty(f) && Directory.Exists(f)).ToList();
        foreach (var (regular, bold) in Candidates)
        {
            foreach (var folder in folders)
            {
                var found = Search(folder, regular);
                if (found is not null)
                {
                    return (found, Search(Path.GetDirectoryName(found)!, bold));
                }
            }
        }

        return (null, null);
    }

    private static string? Search(string folder, string name)
    {
        try
        {
            return Directory.EnumerateFiles(folder, name, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 4, IgnoreInaccessible = true })
                .Order(StringComparer.Ordinal)
                .FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
