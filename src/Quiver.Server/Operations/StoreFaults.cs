using Microsoft.Data.Sqlite;
using Quiver.Core;

namespace Quiver.Server.Operations;

/// <summary>
/// Faults of the store's disk rather than of the request (read-only files, a full disk, an unusable QUIVER_HOME, a
/// damaged database): 507 for a full disk, 500 for damage and 503 otherwise, told without absolute paths because the
/// caller may hold no key.
/// </summary>
internal static class StoreFaults
{
    // SQLite's primary result codes (https://sqlite.org/rescode.html); extended codes carry them in the low byte.
    private const int SqlitePermission = 3;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCannotOpen = 14;
    private const int SqliteNotADatabase = 26;

    /// <summary>The code of a 500 caused by a damaged file the server keeps; gRPC answers it as DataLoss.</summary>
    public const string DamagedCode = "stored_data_damaged";

    // errno ENOSPC and EDQUOT on Linux, ERROR_HANDLE_DISK_FULL and ERROR_DISK_FULL on Windows.
    private static readonly int[] DiskFullCodes = [28, 122, 39, 112];

    /// <summary>The status, code and message for <paramref name="error"/> when it is a fault of the store's disk; null otherwise.</summary>
    public static (int Status, string Code, string Message)? Classify(Exception error, QuiverPaths paths)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            var fault = e switch
            {
                SqliteException sqlite => FromSqlite(sqlite),
                IOException io when DiskFullCodes.Contains(io.HResult & 0xFFFF) => Full(WithoutPaths(io.Message, paths)),
                UnauthorizedAccessException denied => (503, "store_unavailable", $"The store cannot be written (permission denied): {WithoutPaths(denied.Message, paths)} Make ${QuiverPaths.HomeVariable} writable by the server."),

                // Only file errors inside the store: a client's dropped connection is an IOException too, and no store fault.
                IOException io when Mentions(io.Message, paths) => (503, "store_unavailable", $"The store failed to read or write its files: {WithoutPaths(io.Message, paths)} Check ${QuiverPaths.HomeVariable} (a folder, writable, on a working disk)."),
                _ => ((int, string, string)?)null,
            };
            if (fault is not null)
            {
                return fault;
            }
        }

        return null;
    }

    /// <summary>The message with the store's folders named by role ($QUIVER_HOME/collections) instead of by absolute path.</summary>
    public static string WithoutPaths(string message, QuiverPaths paths)
    {
        var home = Path.GetFullPath(paths.Home);
        return message
            .Replace(Path.GetFullPath(paths.Collections), $"${QuiverPaths.HomeVariable}/collections", StringComparison.Ordinal)
            .Replace(home, $"${QuiverPaths.HomeVariable}", StringComparison.Ordinal);
    }

    /// <summary>Whether <paramref name="path"/> lies under the store's home folder.</summary>
    public static bool IsInside(string path, QuiverPaths paths)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(paths.Home), Path.GetFullPath(path));
        return relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }

    private static bool Mentions(string message, QuiverPaths paths) => message.Contains(Path.GetFullPath(paths.Home), StringComparison.Ordinal);

    private static (int, string, string)? FromSqlite(SqliteException e) => (e.SqliteErrorCode & 0xFF) switch
    {
        SqliteFull => Full(e.Message),
        SqliteReadOnly or SqlitePermission => (503, "store_read_only",
            $"The store is read-only ({e.Message}): make the collection's files under ${QuiverPaths.HomeVariable}/collections writable by the server, then retry."),
        SqliteBusy or SqliteLocked => (503, "store_busy", $"The collection's database is locked by another writer ({e.Message}); retry shortly."),
        SqliteIoError or SqliteCannotOpen => (503, "store_unavailable",
            $"The store cannot open or read a collection's database ({e.Message}): check ${QuiverPaths.HomeVariable}/collections (a folder, writable, on a working disk)."),
        SqliteCorrupt or SqliteNotADatabase => (500, DamagedCode,
            $"A collection's database under ${QuiverPaths.HomeVariable}/collections is damaged ({e.Message}): restore the collection from a snapshot, or delete it and index again."),
        _ => null,
    };

    private static (int, string, string) Full(string detail) =>
        (507, "insufficient_storage", $"The store's disk is full ({detail}): free space under ${QuiverPaths.HomeVariable}, then retry.");
}
