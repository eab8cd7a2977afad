using Quiver.Cluster.Replication;
using Quiver.Cluster.Wire;

namespace Quiver.Cluster.Tests;

public sealed class OperationLogTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "quiver-cluster-tests", "log-" + Guid.NewGuid().ToString("N"));

    public OperationLogTests() => Directory.CreateDirectory(_folder);

    private string LogPath => Path.Combine(_folder, "operations.log");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ShardOperation Upsert(long number, long epoch, string id) =>
        new(number, epoch, [new WirePoint(id, [1, 2], "{\"base\":true}", "text")], null);

    [Fact]
    public void Operations_survive_a_reopen_and_a_torn_last_line_is_cut_off()
    {
        using (var log = new OperationLog(LogPath))
        {
            log.Append(Upsert(1, 1, "a"));
            log.Append([Upsert(2, 1, "b"), new ShardOperation(3, 2, null, ["a"])]);
            Assert.Throws<InvalidOperationException>(() => log.Append(Upsert(5, 2, "c")));
        }

        File.AppendAllText(LogPath, "{\"Number\":4,\"Epo");
        using var reopened = new OperationLog(LogPath);
        Assert.Equal(new ReplicaPosition(3, 2), reopened.Last);
        Assert.Equal("b", reopened.Read(2)!.Upserts![0].Id);
        Assert.Equal("{\"base\":true}", reopened.Read(1)!.Upserts![0].Payload);
        Assert.Equal(["a"], reopened.Read(3)!.Deletes!);
        Assert.Null(reopened.Read(4));
        reopened.Append(Upsert(4, 2, "d"));
        Assert.Equal(4, reopened.Last.Number);
    }

    [Fact]
    public void Remove_last_takes_back_an_operation_and_reset_starts_after_a_copy()
    {
        using (var log = new OperationLog(LogPath))
        {
            log.Append([Upsert(1, 1, "a"), Upsert(2, 3, "b")]);
            log.RemoveLast();
            Assert.Equal(new ReplicaPosition(1, 1), log.Last);
            log.Reset(new ReplicaPosition(40, 2));
            Assert.Equal(2, log.EpochOf(40));
            Assert.Null(log.Read(1));
            log.Append(Upsert(41, 2, "c"));
        }

        using var reopened = new OperationLog(LogPath);
        Assert.Equal(new ReplicaPosition(40, 2), reopened.Base);
        Assert.Equal(new ReplicaPosition(41, 2), reopened.Last);
        Assert.Equal("c", reopened.Read(41)!.Upserts![0].Id);
    }

    [Fact]
    public void Trimming_forgets_the_operations_before_a_new_base_shrinks_the_file_and_survives_a_reopen()
    {
        using (var log = new OperationLog(LogPath))
        {
            log.Append(Enumerable.Range(1, 50).Select(n => Upsert(n, n < 30 ? 1 : 2, n == 31 ? "base" : $"p{n}")).ToList());
            var before = log.Bytes;
            log.TrimThrough(30);
            Assert.True(log.Bytes < before / 2, $"{log.Bytes} bytes after trimming, {before} before");
            Assert.Equal(log.Bytes, new FileInfo(LogPath).Length);
            Assert.Equal(new ReplicaPosition(30, 2), log.Base);
            Assert.Equal(new ReplicaPosition(50, 2), log.Last);
            Assert.Null(log.Read(30));
            Assert.Equal(2, log.EpochOf(30));
            Assert.Equal("base", log.Read(31)!.Upserts![0].Id);

            // Trimming to where the log already starts does nothing; past its end is refused.
            log.TrimThrough(20);
            Assert.Equal(30, log.Base.Number);
            Assert.Throws<InvalidOperationException>(() => log.TrimThrough(51));
            log.Append(Upsert(51, 2, "after"));
        }

        // The first kept operation is a point called "base": still read as an operation, not as the log's base.
        using var reopened = new OperationLog(LogPath);
        Assert.Equal(new ReplicaPosition(30, 2), reopened.Base);
        Assert.Equal(new ReplicaPosition(51, 2), reopened.Last);
        Assert.Equal("base", reopened.Read(31)!.Upserts![0].Id);
        Assert.Equal("after", reopened.Read(51)!.Upserts![0].Id);
        Assert.False(File.Exists(LogPath + ".trim"));
    }
}
