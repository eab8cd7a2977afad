using System.Globalization;
using Quiver.Core.Npy;

namespace Quiver.Cli.Tests;

/// <summary>
/// <c>quiver project</c> end to end: a .npy matrix with a labels file and a labelled CSV embedded with the fixture's
/// tiny model, mapped with each method, written as CSV and JSON, drawn as PNG; bad requests refused in one line.
/// </summary>
public sealed class ProjectCliTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    // Three far-apart groups of 20 points in 6-D, so every map must keep them apart.
    private (string Vectors, string Labels) Blobs()
    {
        var folder = Directory.CreateDirectory(Path.Combine(fixture.Root, "project-" + Guid.NewGuid().ToString("N"))).FullName;
        var vectors = Path.Combine(folder, "vectors.npy");
        var labels = Path.Combine(folder, "labels.txt");
        var random = new Random(3);
        using (var writer = NpyMatrixWriter.Create(vectors, 6))
        {
            for (var i = 0; i < 60; i++)
            {
                var row = new float[6];
                row[i / 20] = 20;
                for (var d = 0; d < 6; d++)
                {
                    row[d] += (float)random.NextDouble();
                }

                writer.Write(row);
            }
        }

        File.WriteAllLines(labels, Enumerable.Range(0, 60).Select(i => $"group {i / 20}"));
        return (vectors, labels);
    }

    [Fact]
    public void Pca_of_a_matrix_writes_csv_with_labels_and_reports_the_explained_variance()
    {
        var (vectors, labels) = Blobs();
        var map = Path.Combine(Path.GetDirectoryName(vectors)!, "map.csv");

        var (code, output, error) = fixture.Run("project", "--input", vectors, "--labels", labels, "--method", "pca", "-o", map, "--json");

        Assert.True(code == 0, error);
        var json = CliFixture.Json(output);
        Assert.Equal(60, json.GetProperty("points").GetInt32());
        var ratios = json.GetProperty("explained_variance_ratio").EnumerateArray().Select(r => r.GetDouble()).ToList();
        Assert.Equal(2, ratios.Count);
        Assert.True(ratios[0] + ratios[1] > 0.9, $"two axes explain only {ratios.Sum():P1} of three separated groups");
        var lines = File.ReadAllLines(map);
        Assert.Equal("id,x,y,labels.txt", lines[0]);
        Assert.Equal(61, lines.Length);
        Assert.EndsWith(",group 0", lines[1]);
        Assert.All(lines[1].Split(',')[1..3], v => Assert.True(double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _), v));
    }

    [Fact]
    public void Umap_in_three_dimensions_writes_json_with_three_coordinates_per_point()
    {
        var (vectors, labels) = Blobs();
        var map = Path.Combine(Path.GetDirectoryName(vectors)!, "map.json");

        var (code, _, error) = fixture.Run("project", "--input", vectors, "--labels", labels, "--method", "umap", "--dims", "3", "--neighbours", "10", "--epochs", "100", "-o", map);

        Assert.True(code == 0, error);
        var json = CliFixture.Json(File.ReadAllText(map));
        Assert.Equal("umap", json.GetProperty("method").GetString());
        var points = json.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(60, points.Count);
        Assert.All(points, p => Assert.Equal(3, p.GetProperty("coordinates").GetArrayLength()));
        Assert.Equal("group 2", points[59].GetProperty("category").GetString());
    }

    [Fact]
    public void A_labelled_csv_is_embedded_mapped_with_tsne_and_drawn()
    {
        var folder = Directory.CreateDirectory(Path.Combine(fixture.Root, "project-" + Guid.NewGuid().ToString("N"))).FullName;
        var csv = Path.Combine(folder, "texts.csv");
        string[] water = ["the frog at sea", "a whale of the sea", "the toad", "soup of the sea", "a ship at sea"];
        string[] space = ["the moon", "stars of the moon", "a rocket", "the rocket at the stars", "moon and stars"];
        File.WriteAllLines(csv, ["text,label", .. Enumerable.Range(0, 30).Select(i => i % 2 == 0 ? $"{water[i / 2 % 5]},water" : $"{space[i / 2 % 5]},space")]);
        var plot = Path.Combine(folder, "map.png");

        var (code, output, error) = fixture.Run(
            "project", "--input", csv, "--text-column", "text", "--label-column", "label", "-m", "tiny", "--method", "tsne", "--perplexity", "5", "--plot", plot, "--json");

        Assert.True(code == 0, error);
        var json = CliFixture.Json(output);
        Assert.Equal("label", json.GetProperty("color_by").GetString());
        Assert.Equal(30, json.GetProperty("coordinates").GetArrayLength());
        var png = File.ReadAllBytes(plot);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.True(png.Length > 10_000, $"a {png.Length}-byte PNG is too small to hold a drawn map");
    }

    [Fact]
    public void A_collection_is_mapped_and_coloured_by_a_payload_field()
    {
        var docs = Directory.CreateDirectory(Path.Combine(fixture.Root, "project-docs-" + Guid.NewGuid().ToString("N"))).FullName;
        for (var i = 0; i < 6; i++)
        {
            File.WriteAllText(Path.Combine(docs, $"water-{i}.txt"), i % 2 == 0 ? "The whale swims at sea." : "A frog and a toad at sea.");
            File.WriteAllText(Path.Combine(docs, $"space-{i}.txt"), i % 2 == 0 ? "The rocket flew to the moon." : "The stars and the moon.");
        }

        var collection = "maps-" + Guid.NewGuid().ToString("N")[..8];
        var (indexed, _, indexError) = fixture.Run("index", docs, "--collection", collection, "--model", "tiny");
        Assert.True(indexed == 0, indexError);
        var map = Path.Combine(docs, "map.csv");

        var (code, _, error) = fixture.Run("project", "-c", collection, "--method", "pca", "--color-by", "path", "-o", map);
        var (missing, _, missingError) = fixture.Run("project", "-c", collection, "--method", "pca", "--color-by", "cluster");

        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(map);
        Assert.Equal("id,x,y,path", lines[0]);
        Assert.Equal(12, lines.Length - 1);
        Assert.Contains(lines, l => l.EndsWith(",space-3.txt", StringComparison.Ordinal));
        Assert.Equal(1, missing);
        Assert.Contains("No point of collection", missingError);
        Assert.Contains("quiver cluster -c NAME --write", missingError);
    }

    [Theory]
    [InlineData("--dims 3 --plot map.png", "A plot is drawn from a 2-D map, but --dims is 3")]
    [InlineData("-o map.txt", "name the output FILE.csv or FILE.json")]
    [InlineData("--plot map.jpg", "name the plot file .png or .svg")]
    [InlineData("--color-by cluster", "has no payload fields")]
    [InlineData("--method tsne --perplexity 59", "perplexity 59 needs more than 60 points; got 60")]
    public void Bad_requests_are_refused_in_one_line_naming_the_fix(string arguments, string expected)
    {
        var (vectors, labels) = Blobs();
        var folder = Path.GetDirectoryName(vectors)!;
        string[] extra = [.. arguments.Split(' ').Select(a => a.StartsWith("map.", StringComparison.Ordinal) ? Path.Combine(folder, a) : a)];

        var (code, _, error) = fixture.Run(["project", "--input", vectors, "--labels", labels, .. extra]);

        Assert.Equal(1, code);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("   at ", error);
    }
}
