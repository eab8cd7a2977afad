using Quiver.Analysis.Clustering;
using Quiver.Analysis.Plots;
using SkiaSharp;

namespace Quiver.Analysis.Tests.Plots;

public class PlotTests
{
    // Twelve categories of falling size (category c has 20 − c points), each around its own place.
    private static (float[][] Points, string[] Categories) Categories()
    {
        var points = new List<float[]>();
        var categories = new List<string>();
        for (var c = 0; c < 12; c++)
        {
            for (var i = 0; i < 20 - c; i++)
            {
                points.Add([(c % 4 * 10) + (i % 5), (c / 4 * 10) + (i / 5)]);
                categories.Add($"c{c}");
            }
        }

        return ([.. points], [.. categories]);
    }

    [Fact]
    public void The_legend_names_the_largest_categories_with_counts_and_groups_the_rest_as_other()
    {
        using var folder = new TempFolder();
        var (points, categories) = Categories();
        var path = Path.Combine(folder.Path, "map.svg");

        MapPlot.Save(path, points, categories, new MapPlotOptions { Title = "twelve", MaxCategories = 5 });

        var svg = File.ReadAllText(path);
        foreach (var shown in new[] { "c0 (20)", "c1 (19)", "c2 (18)", "c3 (17)" })
        {
            Assert.Contains(shown, svg);
        }

        // c4 … c11 hold 16 + 15 + … + 9 = 100 points.
        Assert.Contains("other (8 more, 100)", svg);
        Assert.DoesNotContain("c4 (16)", svg);
    }

    [Fact]
    public void A_png_has_the_asked_size_and_the_first_category_in_the_palette_s_first_colour()
    {
        using var folder = new TempFolder();
        var (points, categories) = Categories();
        var path = Path.Combine(folder.Path, "map.png");

        MapPlot.Save(path, points, categories, new MapPlotOptions { Width = 640, Height = 480 }, MapLabel.AtMedians(points, categories));

        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal(640, bitmap.Width);
        Assert.Equal(480, bitmap.Height);

        // Category10's first colour is #1f77b4; the markers are drawn at 80% over white.
        var blueish = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var p = bitmap.GetPixel(x, y);
                blueish += p.Blue > 150 && p.Red < 110 && p.Green is > 100 and < 160 ? 1 : 0;
            }
        }

        Assert.True(blueish > 100, $"only {blueish} pixels in the first category's colour");
    }

    [Fact]
    public void An_unknown_extension_is_refused_naming_the_formats()
    {
        var (points, categories) = Categories();

        var error = Assert.Throws<Core.QuiverException>(() => MapPlot.Save("map.jpg", points, categories, new MapPlotOptions()));

        Assert.Contains("name the plot file .png or .svg", error.Message);
    }

    [Fact]
    public void Three_dimensional_points_are_refused_for_a_plot()
    {
        float[][] points = [[1], [2]];

        var error = Assert.Throws<Core.QuiverException>(() => MapPlot.Save("map.png", points, null, new MapPlotOptions()));

        Assert.Contains("needs 2-D points", error.Message);
    }

    [Fact]
    public void Labels_sit_at_each_group_s_median()
    {
        float[][] points = [[0, 0], [1, 10], [100, 2], [5, 5], [7, 9]];
        string?[] groups = ["a", "a", "a", "b", null];

        var labels = MapLabel.AtMedians(points, groups).OrderBy(l => l.Text).ToList();

        Assert.Equal([new MapLabel(1, 2, "a"), new MapLabel(5, 5, "b")], labels);
    }

    [Fact]
    public void The_k_chart_marks_the_chosen_k()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "k.svg");

        KChoiceChart.Save(path, [new KScore(2, 0.31, 900), new KScore(3, 0.52, 500), new KScore(4, 0.44, 420)], chosen: 3);

        var svg = File.ReadAllText(path);
        Assert.Contains("chosen k = 3", svg);
        Assert.Contains("silhouette (left)", svg);
    }
}
