using System.Security.Cryptography;
using Quiver.Cli.Commands;
using Quiver.Catalogue;
using Quiver.Ingestion;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary>What a person meets in the first hour: readable output, and failures that leave nothing half-done.</summary>
public sealed class FirstHourCliTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    [Fact]
    public void Embed_prints_each_vector_on_one_line_of_its_json()
    {
        var (code, output, error) = fixture.Run("embed", "The whale of the sea", "--model", "tiny");
        Assert.True(code == 0, error);
        var vector = Json(output).GetProperty("embeddings")[0].GetProperty("vector").EnumerateArray().Select(x => x.GetSingle()).ToArray();
        Assert.Equal(8, vector.Length);
        var line = Assert.Single(output.Split('\n'), l => l.Contains("\"vector\"", StringComparison.Ordinal)).Trim();
        Assert.StartsWith("\"vector\": [", line, StringComparison.Ordinal);
        Assert.EndsWith("]", line.TrimEnd(','), StringComparison.Ordinal);
        Assert.Equal(7, line.Count(c => c == ','));
        Assert.True(output.Split('\n').Length < 20, output);
    }

    [Fact]
    public void Models_list_fits_80_columns_with_short_revisions_and_a_vocabulary_that_fits_the_kind()
    {
        var (code, output, _) = fixture.Run("models", "list");
        Assert.Equal(0, code);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines.Where(l => l.StartsWith('│') || l.StartsWith('┌')), l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        var revision = InstalledModels.Manifest(fixture.Paths, "tiny").Revision;
        var tiny = Assert.Single(lines, l => l.Contains(" tiny ", StringComparison.Ordinal));
        Assert.Contains(revision[..12], tiny, StringComparison.Ordinal);
        Assert.DoesNotContain(revision, output, StringComparison.Ordinal);
        Assert.Contains("23 words", tiny, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("glove-100", StringComparison.Ordinal) && l.Contains("not installed", StringComparison.Ordinal));

        (code, output, _) = fixture.Run("models", "list", "--json");
        Assert.Equal(0, code);
        Assert.Contains(revision, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TransformerModel.Kind, 30522, "30,522 tokens")]
    [InlineData(WordVectorModel.Kind, 400000, "400,000 words")]
    [InlineData(ImageModel.Kind, 0, "-")]
    [InlineData(RemoteModel.Kind, 0, "-")]
    public void The_vocabulary_column_says_what_the_model_kind_reads(string kind, int words, string expected)
    {
        var manifest = new ModelManifest { Name = "m", Kind = kind, Dimensions = 8, Words = words, Revision = "r", Source = "s" };
        Assert.Equal(expected, ModelsCommands.Vocabulary(manifest));
    }

    [Fact]
    public void Index_help_lists_every_format_the_ingestion_reads()
    {
        var (code, output, _) = fixture.Run("index", "--help");
        Assert.Equal(0, code);
        Assert.All(FolderIndexer.Extensions.Concat(ImageFolderIndexer.MediaTypes.Keys), e => Assert.Contains(e, output, StringComparison.Ordinal));
    }

    [Fact]
    public void A_failed_first_index_leaves_no_collection_and_an_existing_one_is_left_as_it_was()
    {
        var missing = Path.Combine(fixture.Root, "no-such-folder");
        var (code, _, error) = fixture.Run("index", missing, "--collection", "never-indexed", "--model", "tiny");
        Assert.Equal(1, code);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(fixture.Paths.Collections, "never-indexed")));
        var (_, list, _) = fixture.Run("collections", "list", "--json");
        Assert.DoesNotContain(Json(list).EnumerateArray(), c => c.GetProperty("name").GetString() == "never-indexed");

        var docs = Path.Combine(fixture.Root, "kept-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(docs);
        File.WriteAllText(Path.Combine(docs, "ocean.txt"), "The whale swims at sea.");
        (code, _, error) = fixture.Run("index", docs, "--collection", "kept", "--model", "tiny");
        Assert.True(code == 0, error);
        var before = Files(Path.Combine(fixture.Paths.Collections, "kept"));

        (code, _, _) = fixture.Run("index", missing, "--collection", "kept", "--model", "tiny");
        Assert.Equal(1, code);
        Assert.Equal(before, Files(Path.Combine(fixture.Paths.Collections, "kept")));
        (code, var output, error) = fixture.Run("search", "whale", "--collection", "kept", "--json");
        Assert.True(code == 0, error);
        Assert.Equal("ocean.txt", Json(output).GetProperty("hits")[0].GetProperty("payload").GetProperty("path").GetString());
    }

    [Fact]
    public void Eval_verbs_name_the_fix_their_own_arguments_allow()
    {
        var (code, _, error) = fixture.Run("eval", "sts", Path.Combine(fixture.Root, "nosuch.csv"), "--model", "tiny");
        Assert.Equal(1, code);
        Assert.Contains("nosuch.csv", error, StringComparison.Ordinal);
        Assert.Contains("sts-dev.csv", error, StringComparison.Ordinal);
        Assert.DoesNotContain("--data", error, StringComparison.Ordinal);

        (code, _, error) = fixture.Run("eval", "retrieval", Path.Combine(fixture.Root, "nosuch"), "--model", "tiny");
        Assert.Equal(1, code);
        Assert.Contains("BEIR, CISI or Cranfield", error, StringComparison.Ordinal);
        Assert.DoesNotContain("--data", error, StringComparison.Ordinal);

        (code, _, error) = fixture.Run("eval", "images", "--data", Path.Combine(fixture.Root, "nowhere"));
        Assert.Equal(1, code);
        Assert.Contains("images/fashion-mnist/labels.csv", error, StringComparison.Ordinal);
        Assert.Contains("--data", error, StringComparison.Ordinal);
    }

    /// <summary>Each file's name and SHA-256, but SQLite's -wal and -shm companions, which opening a database may touch.</summary>
    private static List<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(folder, f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}")
            .ToList();
}
