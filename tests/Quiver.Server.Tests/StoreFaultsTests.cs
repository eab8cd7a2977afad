using Microsoft.Data.Sqlite;
using Quiver.Core;
using Quiver.Server.Operations;

namespace Quiver.Server.Tests;

/// <summary>Faults of the store's disk answer 503 (507 when full) with a message that names no absolute path.</summary>
public sealed class StoreFaultsTests
{
    private static readonly QuiverPaths Paths = new("/srv/quiver-home");

    [Theory]
    [InlineData(8, 503, "store_read_only")] // SQLITE_READONLY
    [InlineData(1032, 503, "store_read_only")] // SQLITE_READONLY_DBMOVED: the extended code keeps the primary one in its low byte
    [InlineData(13, 507, "insufficient_storage")] // SQLITE_FULL
    [InlineData(14, 503, "store_unavailable")] // SQLITE_CANTOPEN
    [InlineData(5, 503, "store_busy")] // SQLITE_BUSY
    public void SQLite_faults_of_the_disk_map_to_503_or_507(int sqliteCode, int status, string code)
    {
        var fault = StoreFaults.Classify(new InvalidOperationException("wrapped", new SqliteException($"SQLite Error {sqliteCode}: 'x'.", sqliteCode)), Paths);

        Assert.NotNull(fault);
        Assert.Equal((status, code), (fault.Value.Status, fault.Value.Code));
    }

    [Fact]
    public void A_constraint_error_is_no_fault_of_the_disk()
    {
        Assert.Null(StoreFaults.Classify(new SqliteException("SQLite Error 19: 'UNIQUE constraint failed'.", 19), Paths));
    }

    [Fact]
    public void A_full_disk_is_507_and_names_the_store_by_role()
    {
        var fault = StoreFaults.Classify(new IOException("No space left on device : '/srv/quiver-home/collections/docs/index.snapshot'", 28), Paths);

        Assert.NotNull(fault);
        Assert.Equal(507, fault.Value.Status);
        Assert.Contains("$QUIVER_HOME/collections/docs/index.snapshot", fault.Value.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/srv/quiver-home", fault.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_IO_error_outside_the_store_is_not_called_a_store_fault()
    {
        // A client that drops its connection mid-body raises an IOException too; that is no reason for a 503.
        Assert.Null(StoreFaults.Classify(new IOException("The client reset the request stream."), Paths));
    }

    [Fact]
    public async Task An_unusable_QUIVER_HOME_answers_503_naming_the_fix_and_no_path()
    {
        await using var server = new ServerFixture();
        if (Directory.Exists(server.Paths.Collections))
        {
            Directory.Delete(server.Paths.Collections, recursive: true);
        }

        await File.WriteAllTextAsync(server.Paths.Collections, "a file where the collections folder should be");

        var (status, body) = await server.Put("/collections/docs", new { vectors = new { size = 2, distance = "Dot" } });

        Assert.True(status == 503, body?.ToJsonString());
        var message = body!["status"]!["error"]!.GetValue<string>();
        Assert.Contains("$QUIVER_HOME/collections", message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Root, message, StringComparison.Ordinal);
    }
}
