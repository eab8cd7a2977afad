using System.Text.Json;
using static Quiver.Cli.Tests.CliFixture;

namespace Quiver.Cli.Tests;

/// <summary><c>quiver collections alias …</c>, <c>snapshot</c> and <c>restore</c> over collections indexed with the tiny word model.</summary>
public sealed class LifecycleCliTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public LifecycleCliTests()
    {
        var docs = Path.Combine(_cli.Root, "docs");
        Directory.CreateDirectory(docs);
        File.WriteAllText(Path.Combine(docs, "sea.txt"), "the whale and the ship at sea");
        File.WriteAllText(Path.Combine(docs, "space.txt"), "the rocket to the moon and the stars");
        foreach (var name in new[] { "v1", "v2" })
        {
            var (code, _, error) = _cli.Run("index", docs, "-c", name, "-m", "tiny");
            Assert.True(code == 0, error);
        }
    }

    public void Dispose() => _cli.Dispose();

    // The search answer without the collection's name: ids, scores, payloads and texts.
    private string Hits(string collection)
    {
        var (code, stdout, error) = _cli.Run("search", "whale", "-c", collection, "--json");
        Assert.True(code == 0, error);
        return Json(stdout).GetProperty("hits").GetRawText();
    }

    [Fact]
    public void An_alias_is_a_collection_name_for_every_verb_until_it_is_moved()
    {
        Assert.Equal(0, _cli.Run("collections", "alias", "create", "prod", "v1").Code);
        var (code, stdout, error) = _cli.Run("search", "whale", "-c", "prod", "--json");
        Assert.True(code == 0, error);
        Assert.Contains("sea.txt", stdout, StringComparison.Ordinal);

        (code, stdout, error) = _cli.Run("collections", "alias", "create", "prod", "v2", "--json");
        Assert.True(code == 0, error);
        Assert.Equal("v1", Json(stdout).GetProperty("previous").GetString());
        Assert.Equal(0, _cli.Run("collections", "alias", "rename", "prod", "live").Code);
        (code, stdout, _) = _cli.Run("collections", "alias", "list", "--json");
        Assert.Equal(0, code);
        var listed = Json(stdout).EnumerateArray().Select(a => (a.GetProperty("alias_name").GetString(), a.GetProperty("collection_name").GetString())).ToList();
        Assert.Equal([("live", "v2")], listed);
        Assert.Contains("live", _cli.Run("collections", "list").Output, StringComparison.Ordinal);

        var deleteAlias = _cli.Run("collections", "delete", "live");
        Assert.Equal(1, deleteAlias.Code);
        Assert.Contains("is an alias of collection 'v2'", deleteAlias.Error, StringComparison.Ordinal);
        var missing = _cli.Run("collections", "alias", "create", "x", "nope");
        Assert.Equal(1, missing.Code);
        Assert.Contains("no collection named 'nope'", missing.Error, StringComparison.Ordinal);
        var taken = _cli.Run("collections", "alias", "create", "v1", "v2");
        Assert.Equal(1, taken.Code);
        Assert.Contains("Collection `v1` already exists!", taken.Error, StringComparison.Ordinal);

        Assert.Equal(0, _cli.Run("collections", "alias", "delete", "live").Code);
        Assert.Equal(1, _cli.Run("collections", "alias", "delete", "live").Code);
        Assert.Contains("no aliases", _cli.Run("collections", "alias", "list").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_restores_under_a_new_name_and_a_damaged_one_is_refused()
    {
        var file = Path.Combine(_cli.Root, "v1.snapshot");
        var (code, stdout, error) = _cli.Run("collections", "snapshot", "v1", "-o", file, "--json");
        Assert.True(code == 0, error);
        var written = Json(stdout);
        Assert.Equal(2, written.GetProperty("points").GetInt32());
        Assert.Equal(new FileInfo(file).Length, written.GetProperty("bytes").GetInt64());

        (code, stdout, error) = _cli.Run("collections", "restore", file, "--name", "copy", "--json", "--checksum", written.GetProperty("sha256").GetString()!);
        Assert.True(code == 0, error);
        Assert.Equal("copy", Json(stdout).GetProperty("name").GetString());
        Assert.Equal(Hits("v1"), Hits("copy"));

        var exists = _cli.Run("collections", "restore", file);
        Assert.Equal(1, exists.Code);
        Assert.Contains("--replace", exists.Error, StringComparison.Ordinal);

        var bytes = File.ReadAllBytes(file);
        var truncated = Path.Combine(_cli.Root, "truncated.snapshot");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var refused = _cli.Run("collections", "restore", truncated, "--replace");
        Assert.Equal(1, refused.Code);
        Assert.Contains("cannot be restored", refused.Error, StringComparison.Ordinal);
        Assert.Equal(1, _cli.Run("collections", "restore", Path.Combine(_cli.Root, "nope.snapshot")).Code);

        // The default place is the snapshots folder the server lists.
        (code, stdout, error) = _cli.Run("collections", "snapshot", "v2", "--json");
        Assert.True(code == 0, error);
        Assert.StartsWith(Path.Combine(_cli.Paths.Snapshots, "v2", "v2-"), Json(stdout).GetProperty("file").GetString(), StringComparison.Ordinal);
    }
}
