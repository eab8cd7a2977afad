using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary><c>quiver duplicates</c> over a collection indexed with the tiny word model.</summary>
public sealed class DuplicatesCliTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public DuplicatesCliTests()
    {
        var docs = Path.Combine(_cli.Root, "docs");
        Directory.CreateDirectory(docs);
        File.WriteAllText(Path.Combine(docs, "a.txt"), "the whale and the ship at sea");
        File.WriteAllText(Path.Combine(docs, "b.txt"), "the whale and the ship at sea.");
        File.WriteAllText(Path.Combine(docs, "c.txt"), "a whale and a ship at sea");
        File.WriteAllText(Path.Combine(docs, "d.txt"), "the rocket to the moon and the stars");
        File.WriteAllText(Path.Combine(docs, "e.txt"), "bread and soup");
        Assert.Equal(0, _cli.Run("index", docs, "-c", "docs", "-m", "tiny").Code);
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void The_copies_form_one_group_and_delete_keeps_one_of_them()
    {
        var (code, stdout, error) = _cli.Run("duplicates", "-c", "docs", "--threshold", "0.99", "--json");

        Assert.True(code == 0, error);
        var report = Json(stdout);
        Assert.Equal(1, report.GetProperty("groups").GetInt32());
        Assert.Equal(2, report.GetProperty("duplicates").GetInt32());
        Assert.Equal(0, report.GetProperty("deleted").GetInt32());

        var deleted = _cli.Run("duplicates", "-c", "docs", "--threshold", "0.99", "--delete");
        Assert.True(deleted.Code == 0, deleted.Error);
        Assert.Contains("deleted 2, one kept per group", deleted.Output);
        var again = Json(_cli.Run("duplicates", "-c", "docs", "--threshold", "0.99", "--json").Output);
        Assert.Equal(0, again.GetProperty("groups").GetInt32());
        Assert.Equal(3, again.GetProperty("points").GetInt32());
    }

    [Fact]
    public void A_threshold_outside_minus_one_to_one_is_a_parse_error()
    {
        var (code, _, error) = _cli.Run("duplicates", "-c", "docs", "--threshold", "2");

        Assert.NotEqual(0, code);
        Assert.Contains("--threshold", error);
    }
}
