using System.Text.Json;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary><c>quiver export</c> over a collection indexed with the tiny word model.</summary>
public sealed class ExportCliTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public ExportCliTests()
    {
        var docs = Path.Combine(_cli.Root, "docs");
        Directory.CreateDirectory(docs);
        File.WriteAllText(Path.Combine(docs, "sea.txt"), "the whale and the ship at sea");
        File.WriteAllText(Path.Combine(docs, "space.txt"), "the rocket to the moon and the stars");
        var (code, _, error) = _cli.Run("index", docs, "-c", "docs", "-m", "tiny");
        Assert.True(code == 0, error);
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Export_writes_every_point_and_reports_it_as_json()
    {
        var output = Path.Combine(_cli.Root, "docs.jsonl");

        var (code, stdout, error) = _cli.Run("export", "-c", "docs", "-o", output, "--json");

        Assert.True(code == 0, error);
        var summary = Json(stdout);
        Assert.Equal(2, summary.GetProperty("points").GetInt32());
        Assert.Equal("jsonl", summary.GetProperty("format").GetString());
        var lines = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["sea.txt", "space.txt"], lines.Select(l => l.GetProperty("payload").GetProperty("path").GetString()).Order());
        Assert.All(lines, l => Assert.Equal(8, l.GetProperty("vector").GetArrayLength()));
    }

    [Fact]
    public void A_where_filter_and_the_npy_format_write_the_matrix_and_its_points_file()
    {
        var output = Path.Combine(_cli.Root, "sea.npy");

        var (code, stdout, error) = _cli.Run("export", "-c", "docs", "-o", output, "--where", "path=sea.txt");

        Assert.True(code == 0, error);
        Assert.Contains("exported 1 points (8-d) from docs", stdout);
        Assert.True(File.Exists(Path.Combine(_cli.Root, "sea.points.jsonl")));
        Assert.Equal(128 + (1 * 8 * 4), new FileInfo(output).Length);
    }

    [Fact]
    public void Bad_requests_get_one_line_naming_the_fix_and_leave_files_alone()
    {
        var existing = Path.Combine(_cli.Root, "taken.parquet");
        File.WriteAllText(existing, "keep me");

        var taken = _cli.Run("export", "-c", "docs", "-o", existing);
        var unknownFormat = _cli.Run("export", "-c", "docs", "-o", Path.Combine(_cli.Root, "docs.csv"));
        var missing = _cli.Run("export", "-c", "nope", "-o", Path.Combine(_cli.Root, "x.npy"));

        Assert.Equal(1, taken.Code);
        Assert.Contains("already exists", taken.Error);
        Assert.Contains("--force", taken.Error);
        Assert.Equal("keep me", File.ReadAllText(existing));
        Assert.Contains("Name it .jsonl, .npy or .parquet, or give the format (--format", unknownFormat.Error);
        Assert.Contains("no collection named 'nope'", missing.Error);
        Assert.All([taken.Error, unknownFormat.Error, missing.Error], e => Assert.DoesNotContain("   at ", e));

        var forced = _cli.Run("export", "-c", "docs", "-o", existing, "--force");
        Assert.True(forced.Code == 0, forced.Error);
        Assert.StartsWith("PAR1", File.ReadAllText(existing)[..4]);
    }
}
