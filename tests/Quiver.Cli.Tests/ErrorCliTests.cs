namespace Quiver.Cli.Tests;

/// <summary>What the CLI prints, and the exit code it returns, for a user's mistake and for a damaged file of its own.</summary>
public sealed class ErrorCliTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void A_damaged_model_manifest_is_one_line_that_names_the_file_and_the_fix()
    {
        var manifest = Path.Combine(_cli.Paths.Models, "tiny", "model.json");
        File.WriteAllText(manifest, "{ \"name\": \"tiny\", ");

        var (code, output, error) = _cli.Run("embed", "cat", "--model", "tiny");

        Assert.Equal(1, code);
        Assert.Empty(output);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(manifest, line, StringComparison.Ordinal);
        Assert.Contains("Reinstall the model with --force", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_a_library_option_refuses_is_one_line_that_names_it()
    {
        var docs = Path.Combine(_cli.Root, "docs");
        Directory.CreateDirectory(docs);
        File.WriteAllText(Path.Combine(docs, "whale.txt"), "The whale swims in the sea.");

        // --max-chars only asks for 1 or more; the chunker needs room for 20.
        var (code, _, error) = _cli.Run("index", docs, "--model", "tiny", "--max-chars", "5");

        Assert.Equal(1, code);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("chunk limit is 5 characters", line, StringComparison.Ordinal);
        Assert.Contains("at least 20", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_collection_database_is_one_line_that_names_the_fix()
    {
        var docs = Path.Combine(_cli.Root, "docs");
        Directory.CreateDirectory(docs);
        File.WriteAllText(Path.Combine(docs, "whale.txt"), "The whale swims in the sea.");
        Assert.Equal(0, _cli.Run("index", docs, "--model", "tiny", "--collection", "damaged").Code);
        var folder = Directory.GetDirectories(_cli.Paths.Collections, "damaged*").Single();
        foreach (var file in Directory.GetFiles(folder, "collection.db*", SearchOption.AllDirectories))
        {
            File.WriteAllBytes(file, [.. Enumerable.Repeat((byte)0x5A, 8192)]);
        }

        var (code, output, error) = _cli.Run("search", "whale", "--collection", "damaged");

        Assert.Equal(1, code);
        Assert.Empty(output);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("damaged", line, StringComparison.Ordinal);
        Assert.Contains("snapshot", line, StringComparison.Ordinal);
    }
}
