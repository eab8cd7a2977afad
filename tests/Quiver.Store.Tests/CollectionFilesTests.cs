using System.Buffers.Binary;
using System.IO.Hashing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Index;
using Quiver.Store.Index.Hnsw;

namespace Quiver.Store.Tests;

/// <summary>
/// A collection's files: creating one never adopts files left in its folder, an index snapshot is bound to the
/// database it was built from, and damage and rebuilds are logged.
/// </summary>
public sealed class CollectionFilesTests : IDisposable
{
    private static readonly EmbeddingSpace Small = EmbeddingSpace.Raw(4, DistanceMetric.Cosine);
    private static readonly EmbeddingSpace Other = EmbeddingSpace.Raw(8, DistanceMetric.Euclidean);
    private static readonly IndexOptions Hnsw = new() { Kind = IndexKind.Hnsw, ExactThreshold = 50, Hnsw = new HnswParameters(M: 8, EfConstruction: 40, EfSearch: 40) };
    private readonly TempFolder _folder = new();
    private readonly CapturingLogger _logs = new();

    public void Dispose() => _folder.Dispose();

    private CollectionStore Store() => new(_folder.Path, _logs);

    private static List<Point> RandomPoints(int n, int dimensions, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n)
            .Select(i => new Point($"p{i}", Enumerable.Range(0, dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray()))
            .ToList();
    }

    // Leaves the folder as a crash would: the database's recent commits only in its -wal file, then the .db file deleted.
    private string WriteThenDeleteTheDatabaseOnly(string name, int points)
    {
        var folder = Path.Combine(_folder.Path, name);
        var saved = Path.Combine(_folder.Path, "saved-" + name);
        Directory.CreateDirectory(saved);
        using (var collection = Store().Create(name, new CollectionOptions(Small, Hnsw)))
        {
            // A connection of the test's own holds the database open, so the -wal file still holds the points when they
            // are copied (pooled connections alone do not: another test's ClearAllPools may close them, and the last
            // connection to close checkpoints and deletes the -wal). It must have read: SQLite opens a connection's
            // file lazily, and only a connection that has read holds the shared lock that keeps the -wal in place.
            using var holder = new SqliteConnection($"Data Source={collection.DatabasePath};Pooling=False");
            holder.Open();
            using (var read = holder.CreateCommand())
            {
                read.CommandText = "SELECT COUNT(*) FROM points";
                read.ExecuteScalar();
            }
            collection.Upsert(RandomPoints(points, Small.Dimensions, 1));
            collection.Flush();

            foreach (var suffix in new[] { "-wal", "-shm" })
            {
                File.Copy(collection.DatabasePath + suffix, Path.Combine(saved, suffix));
            }
        }

        SqliteConnection.ClearAllPools();
        File.Delete(Path.Combine(folder, "collection.db"));
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            File.Copy(Path.Combine(saved, suffix), Path.Combine(folder, "collection.db" + suffix), overwrite: true);
        }

        Assert.True(File.Exists(Path.Combine(folder, IndexSnapshot.FileName)));
        Assert.True(new FileInfo(Path.Combine(folder, "collection.db-wal")).Length > 0);
        return folder;
    }

    [Fact]
    public void Creating_over_leftover_wal_and_snapshot_files_starts_empty_with_the_requested_options()
    {
        var folder = WriteThenDeleteTheDatabaseOnly("docs", 120);
        Assert.False(Store().Exists("docs"));

        using (var created = Store().Create("docs", new CollectionOptions(Other)))
        {
            Assert.Equal(0, created.Count());
            Assert.Equal(Other, created.Space);
            Assert.Empty(created.Search(new float[8], 5));
            Assert.Equal(0, created.InspectIndex().LivePoints);
        }

        using var reopened = Store().Open("docs");
        Assert.Equal(0, reopened.Count());
        Assert.Equal(8, reopened.Dimensions);
        Assert.Equal(DistanceMetric.Euclidean, reopened.Space.Metric);
        Assert.False(File.Exists(Path.Combine(folder, IndexSnapshot.FileName)));
    }

    [Fact]
    public void Leftover_files_are_moved_aside_whole_and_the_move_is_logged()
    {
        var folder = WriteThenDeleteTheDatabaseOnly("docs", 80);
        var wal = File.ReadAllBytes(Path.Combine(folder, "collection.db-wal"));
        Store().Create("docs", new CollectionOptions(Small)).Dispose();

        var aside = Assert.Single(Directory.GetDirectories(Path.Combine(_folder.Path, ".leftover")));
        Assert.StartsWith("docs.", Path.GetFileName(aside), StringComparison.Ordinal);
        Assert.Equal(wal, File.ReadAllBytes(Path.Combine(aside, "collection.db-wal")));
        Assert.True(File.Exists(Path.Combine(aside, IndexSnapshot.FileName)));
        var warning = Assert.Single(_logs.At(LogLevel.Warning));
        Assert.Contains("docs", warning, StringComparison.Ordinal);
        Assert.Contains(aside, warning, StringComparison.Ordinal);

        // Neither the leftovers nor the staging folder is a collection.
        Assert.Equal(["docs"], Store().List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_folder.Path, ".creating")));
    }

    [Fact]
    public void A_create_removes_builds_abandoned_over_an_hour_ago_and_keeps_recent_ones()
    {
        var staging = Path.Combine(_folder.Path, ".creating");
        var abandoned = Directory.CreateDirectory(Path.Combine(staging, "abandoned")).FullName;
        File.WriteAllText(Path.Combine(abandoned, "collection.db"), "half made");
        var recent = Directory.CreateDirectory(Path.Combine(staging, "recent")).FullName;
        File.WriteAllText(Path.Combine(recent, "collection.db"), "being made by another process");
        var old = DateTime.UtcNow.AddHours(-2);
        File.SetLastWriteTimeUtc(Path.Combine(abandoned, "collection.db"), old);
        Directory.SetLastWriteTimeUtc(abandoned, old);

        Store().Create("docs", new CollectionOptions(Small)).Dispose();

        Assert.False(Directory.Exists(abandoned));
        Assert.True(File.Exists(Path.Combine(recent, "collection.db")));
        Assert.Contains("1 unfinished collection build", Assert.Single(_logs.At(LogLevel.Warning)), StringComparison.Ordinal);
        Assert.Equal(["docs"], Store().List());
    }

    [Fact]
    public void An_empty_folder_is_reused_without_leftovers_or_warnings()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, "docs"));
        using var created = Store().Create("docs", new CollectionOptions(Small));
        created.Upsert(RandomPoints(3, Small.Dimensions, 2));
        Assert.Equal(3, created.Count());
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, ".leftover")));
        Assert.Empty(_logs.Entries);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Creating_over_an_existing_database_refuses_and_touches_nothing(bool valid)
    {
        var folder = Path.Combine(_folder.Path, "docs");
        if (valid)
        {
            using var collection = Store().Create("docs", new CollectionOptions(Small, Hnsw));
            collection.Upsert(RandomPoints(60, Small.Dimensions, 3));
            collection.Flush();
        }
        else
        {
            // A damaged database is the operator's to recover, not the store's to replace.
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "collection.db"), "not a database");
        }

        SqliteConnection.ClearAllPools();
        var before = Files(folder);

        var error = Assert.Throws<QuiverException>(() => Store().Create("docs", new CollectionOptions(Other)));
        Assert.Contains("'docs' already exists", error.Message, StringComparison.Ordinal);
        SqliteConnection.ClearAllPools();
        var after = Files(folder);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, file => Assert.Equal(file.Value, after[file.Key]));
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, ".leftover")));
        if (valid)
        {
            using var reopened = Store().Open("docs");
            Assert.Equal(60, reopened.Count());
            Assert.Equal(Small, reopened.Space);
        }
    }

    [Fact]
    public void A_snapshot_copied_from_another_collection_is_ignored_with_a_warning_and_the_index_rebuilt()
    {
        var mine = RandomPoints(300, Small.Dimensions, 4);
        using (var a = Store().Create("a", new CollectionOptions(Small, Hnsw)))
        using (var b = Store().Create("b", new CollectionOptions(Small, Hnsw)))
        {
            a.Upsert(mine);
            a.Flush();

            // Same settings, same count, same sequence: only the binding tells the two snapshots apart.
            b.Upsert(RandomPoints(300, Small.Dimensions, 5));
            b.Flush();
            File.Copy(b.SnapshotPath, a.SnapshotPath, overwrite: true);
        }

        using var reopened = Store().Open("a");
        Assert.Equal(300, reopened.InspectIndex().LivePoints);
        Assert.Equal(-1, reopened.InspectIndex().SnapshotSequence);
        var found = mine.Count(p => reopened.Search(p.Vector, 1, ef: 200)[0].Id == p.Id);
        Assert.True(found >= mine.Count - 1, $"only {found} of {mine.Count} points found themselves");
        var warning = Assert.Single(_logs.At(LogLevel.Warning));
        Assert.Contains("belongs to another database", warning, StringComparison.Ordinal);
        Assert.Contains("rebuilding the index", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_of_the_same_collection_is_used_without_a_warning()
    {
        using (var collection = Store().Create("a", new CollectionOptions(Small, Hnsw)))
        {
            collection.Upsert(RandomPoints(200, Small.Dimensions, 6));
            collection.Flush();
        }

        _logs.Entries.Clear();
        using var reopened = Store().Open("a");
        Assert.Equal(200, reopened.InspectIndex().SnapshotSequence);
        Assert.Empty(_logs.Entries);
    }

    [Fact]
    public void A_damaged_snapshot_is_logged_as_a_warning_even_for_an_empty_collection()
    {
        using (var collection = Store().Create("a", new CollectionOptions(Small, Hnsw)))
        {
            collection.Upsert(RandomPoints(100, Small.Dimensions, 7));
            collection.Flush();
            File.WriteAllText(collection.SnapshotPath, "not a snapshot");
        }

        Store().Open("a").InspectIndex();
        Assert.Contains("truncated or not a Quiver snapshot", Assert.Single(_logs.At(LogLevel.Warning)), StringComparison.Ordinal);

        using (var empty = Store().Create("empty", new CollectionOptions(Small, Hnsw)))
        {
            File.WriteAllText(empty.SnapshotPath, "not a snapshot");
            empty.InspectIndex();
        }

        Assert.Equal(2, _logs.At(LogLevel.Warning).Count());
    }

    [Fact]
    public void A_collection_made_before_ids_gets_one_on_open_and_its_unbound_snapshot_is_rebuilt_once()
    {
        var points = RandomPoints(200, Small.Dimensions, 8);
        string database;
        using (var collection = Store().Create("old", new CollectionOptions(Small, Hnsw)))
        {
            collection.Upsert(points);
            collection.Flush();
            database = collection.DatabasePath;
            MakeSnapshotVersion1(collection.SnapshotPath);
        }

        using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM meta WHERE key = 'collection_id'";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        _logs.Entries.Clear();
        Guid id;
        using (var migrated = Store().Open("old"))
        {
            id = migrated.Binding.CollectionId;
            Assert.NotEqual(Guid.Empty, id);
            Assert.Contains("gave it collection id", Assert.Single(_logs.At(LogLevel.Information)), StringComparison.Ordinal);
            Assert.Equal(-1, migrated.InspectIndex().SnapshotSequence);
            Assert.Contains("another format version", Assert.Single(_logs.At(LogLevel.Warning)), StringComparison.Ordinal);
            Assert.Equal("p17", migrated.Search(points[17].Vector, 1, ef: 200)[0].Id);
            migrated.Flush();
        }

        _logs.Entries.Clear();
        using var again = Store().Open("old");
        Assert.Equal(id, again.Binding.CollectionId);
        Assert.Equal(200, again.InspectIndex().SnapshotSequence);
        Assert.Empty(_logs.Entries);
    }

    private static Dictionary<string, byte[]> Files(string folder) => Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    // Rewrites a snapshot in the layout of version 1, which had no binding in its header, with a valid checksum.
    private static void MakeSnapshotVersion1(string path)
    {
        var bytes = File.ReadAllBytes(path);
        const int bindingStart = 8;
        const int bindingBytes = 16 + 8 + 4;
        var body = bytes[..bindingStart].Concat(bytes[(bindingStart + bindingBytes)..^8]).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), 1);
        File.WriteAllBytes(path, [.. body, .. BitConverter.GetBytes(XxHash64.HashToUInt64(body))]);
    }
}
