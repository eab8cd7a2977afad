using Microsoft.Data.Sqlite;
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
            collection.Upsert(RandomPoints(points, Small.Dimensions, 1));
            collection.Flush();

            // Pooled connections still hold the database open, so the -wal file still holds the points: keep a copy.
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
}
