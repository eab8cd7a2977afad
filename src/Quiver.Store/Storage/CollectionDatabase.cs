using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Filtering;
using Quiver.Store.Index;
using Quiver.Store.Index.Hnsw;
using Quiver.Store.Index.Quantization;

namespace Quiver.Store.Storage;

/// <summary>
/// A collection's SQLite file: the durable truth. WAL journal (readers never block the writer), synchronous=FULL
/// (an acknowledged commit survives power loss), and a sequence number bumped by every change so caches can replay.
/// </summary>
internal static class CollectionDatabase
{
    public const string FileName = "collection.db";
    public const int FormatVersion = 1;

    /// <summary>The meta key of the collection's random id, which binds index snapshots to this database.</summary>
    public const string CollectionIdKey = "collection_id";

    /// <summary>
    /// The meta key set, in the same transaction that takes the last writes, on a database a re-embedded version has
    /// replaced: it names that version's folder, and every later write to this database is refused.
    /// </summary>
    public const string SupersededByKey = "superseded_by";

    /// <summary>When <see cref="SupersededByKey"/> was set (ISO 8601), so the old database outlives readers that just picked it up.</summary>
    public const string SupersededAtKey = "superseded_at";

    /// <summary>Meta keys "payload_index:FIELD" record the payload indexes and their kinds.</summary>
    public const string PayloadIndexPrefix = "payload_index:";

    public static Dictionary<string, PayloadIndexKind> PayloadIndexesOf(Dictionary<string, string> meta) =>
        meta.Where(p => p.Key.StartsWith(PayloadIndexPrefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[PayloadIndexPrefix.Length..], p => Enum.Parse<PayloadIndexKind>(p.Value), StringComparer.Ordinal);

    /// <param name="pooled">False for a file being built: closing its one connection then really closes the file.</param>
    public static string ConnectionString(string path, bool create, bool pooled = true) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
        Pooling = pooled,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>
    /// Closes the pooled connections to one database (before its file is deleted or replaced), leaving other
    /// collections' pools alone: clearing every pool would close their idle connections too, and the last close of a
    /// database checkpoints and removes its -wal under anyone copying it.
    /// </summary>
    public static void ClearPool(string path)
    {
        using var connection = new SqliteConnection(ConnectionString(path, create: false));
        SqliteConnection.ClearPool(connection);
    }

    public static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;");
        return connection;
    }

    /// <summary>
    /// Begins a write transaction (taking SQLite's write lock at once) on a database that still takes writes; one that
    /// a re-embedded version replaced is refused, so a write through a handle opened before the switch is never lost
    /// in a file nobody reads.
    /// </summary>
    public static SqliteTransaction BeginWrite(SqliteConnection connection, string collection, Core.Spaces.EmbeddingSpace space)
    {
        var transaction = connection.BeginTransaction(deferred: false);
        if (Scalar(connection, "SELECT value FROM meta WHERE key = $k", transaction, ("$k", SupersededByKey)) is string version)
        {
            transaction.Dispose();
            throw new QuiverException(
                $"Collection '{collection}' was re-embedded while this handle was open: its vectors are no longer from {space} but are in its " +
                $"new version ({version}), and the old version takes no more writes. Open the collection again (and embed with its new model).");
        }

        return transaction;
    }

    /// <summary>
    /// Removes a database whose collection moved to another version, with its -wal, -shm and index snapshot, when no
    /// connection has it open and it was retired at least <paramref name="grace"/> ago (a reader that just picked the
    /// old version up gets to finish). Returns whether it is gone.
    /// </summary>
    public static bool TryRemoveRetired(string folder, TimeSpan grace, DateTimeOffset now)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return true;
        }

        ClearPool(path);
        var probe = new SqliteConnectionStringBuilder(ConnectionString(path, create: false, pooled: false)) { DefaultTimeout = 1 }.ToString();
        try
        {
            // Exclusive locking mode, set before the first read, makes that read take the file's exclusive lock, which
            // fails while any other connection (in this process or another) has the database open.
            using var connection = new SqliteConnection(probe);
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout=0; PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE;");
            var retired = Scalar(connection, "SELECT value FROM meta WHERE key = $k", null, ("$k", SupersededAtKey)) as string;
            Execute(connection, "COMMIT");
            if (retired is null || now - DateTimeOffset.Parse(retired, CultureInfo.InvariantCulture) < grace)
            {
                return false;
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            return false;
        }

        try
        {
            foreach (var file in new[] { FileName + "-wal", FileName + "-shm", IndexSnapshot.FileName, FileName })
            {
                File.Delete(Path.Combine(folder, file));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another process opened it meanwhile (Windows keeps open files); a later open tries again.
            return false;
        }

        return true;
    }

    public static void Create(SqliteConnection connection, string name, EmbeddingSpace space, IndexOptions index)
    {
        UseWal(connection);
        using var transaction = connection.BeginTransaction();
        Execute(connection, """
            CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
            CREATE TABLE points(
                id TEXT NOT NULL PRIMARY KEY,
                seq INTEGER NOT NULL,
                vector BLOB NOT NULL,
                payload TEXT,
                text TEXT) STRICT;
            CREATE INDEX points_seq ON points(seq);
            CREATE TABLE deletions(seq INTEGER PRIMARY KEY, id TEXT NOT NULL) STRICT;
            """, transaction);
        var meta = new Dictionary<string, string>
        {
            ["format_version"] = FormatVersion.ToString(CultureInfo.InvariantCulture),
            ["name"] = name,
            [CollectionIdKey] = NewCollectionId(),
            ["model_id"] = space.ModelId,
            ["revision"] = space.Revision,
            ["dimensions"] = space.Dimensions.ToString(CultureInfo.InvariantCulture),
            ["metric"] = space.Metric.ToString(),
            ["normalized"] = space.Normalized ? "1" : "0",
            ["created_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["seq"] = "0",
            ["index_kind"] = index.Kind.ToString(),
            ["hnsw_m"] = index.Hnsw.M.ToString(CultureInfo.InvariantCulture),
            ["hnsw_ef_construction"] = index.Hnsw.EfConstruction.ToString(CultureInfo.InvariantCulture),
            ["hnsw_ef_search"] = index.Hnsw.EfSearch.ToString(CultureInfo.InvariantCulture),
            ["exact_threshold"] = index.ExactThreshold.ToString(CultureInfo.InvariantCulture),
            ["quantization"] = index.Quantization.ToString(),
            ["oversampling"] = index.Oversampling.ToString(CultureInfo.InvariantCulture),
        };
        if (space.DocumentPrompt is not null)
        {
            meta["document_prompt"] = space.DocumentPrompt;
        }

        if (space.QueryPrompt is not null)
        {
            meta["query_prompt"] = space.QueryPrompt;
        }

        foreach (var (key, value) in meta)
        {
            Execute(connection, "INSERT INTO meta(key, value) VALUES ($k, $v)", transaction, ("$k", key), ("$v", value));
        }

        transaction.Commit();
    }

    public static Dictionary<string, string> ReadMeta(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT key, value FROM meta";
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            meta[reader.GetString(0)] = reader.GetString(1);
        }

        return meta;
    }

    public static EmbeddingSpace SpaceOf(Dictionary<string, string> meta, string path)
    {
        try
        {
            if (int.Parse(meta["format_version"], CultureInfo.InvariantCulture) > FormatVersion)
            {
                throw new QuiverException($"{path} was written by a newer Quiver (format {meta["format_version"]}); upgrade Quiver to open it.");
            }

            // The one place the stored "name/variant" string becomes a typed model again.
            return new EmbeddingSpace(
                ModelReference.Parse(meta["model_id"], meta["revision"]),
                int.Parse(meta["dimensions"], CultureInfo.InvariantCulture),
                Enum.Parse<DistanceMetric>(meta["metric"]),
                meta["normalized"] == "1")
            {
                DocumentPrompt = meta.GetValueOrDefault("document_prompt"),
                QueryPrompt = meta.GetValueOrDefault("query_prompt"),
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or ArgumentException)
        {
            throw new StoredDataException(path, $"{path} is not a Quiver collection or its metadata is damaged ({e.Message}). Restore the collection from a snapshot, or delete it and index again.", e);
        }
    }

    /// <summary>What binds this database's index snapshots to it (see <see cref="SnapshotBinding"/>).</summary>
    public static SnapshotBinding BindingOf(Dictionary<string, string> meta, string path)
    {
        try
        {
            return new SnapshotBinding(
                Guid.ParseExact(meta[CollectionIdKey], "N"),
                DateTimeOffset.Parse(meta["created_at"], CultureInfo.InvariantCulture),
                int.Parse(meta["format_version"], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException)
        {
            throw new StoredDataException(path, $"{path} is not a Quiver collection or its metadata is damaged ({e.Message}). Restore the collection from a snapshot, or delete it and index again.", e);
        }
    }

    /// <summary>
    /// Gives a collection made before collection ids existed its id (a migration, once); returns whether this call
    /// added it. Another process may add one at the same moment: the first id written wins and both read it back.
    /// </summary>
    public static bool EnsureCollectionId(SqliteConnection connection, Dictionary<string, string> meta)
    {
        if (meta.ContainsKey(CollectionIdKey))
        {
            return false;
        }

        var added = Convert.ToInt64(Scalar(
            connection,
            "INSERT INTO meta(key, value) VALUES ($k, $v) ON CONFLICT(key) DO NOTHING RETURNING 1",
            null,
            ("$k", CollectionIdKey),
            ("$v", NewCollectionId())) ?? 0L, CultureInfo.InvariantCulture) > 0;
        meta[CollectionIdKey] = (string)Scalar(connection, "SELECT value FROM meta WHERE key = $k", null, ("$k", CollectionIdKey))!;
        return added;
    }

    /// <summary>The index settings recorded at creation (defaults for keys a collection does not have).</summary>
    public static IndexOptions IndexOptionsOf(Dictionary<string, string> meta)
    {
        var defaults = IndexOptions.Default;
        int Int(string key, int fallback) => meta.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return defaults with
        {
            Kind = meta.TryGetValue("index_kind", out var kind) ? Enum.Parse<IndexKind>(kind) : defaults.Kind,
            Hnsw = new HnswParameters(
                Int("hnsw_m", defaults.Hnsw.M),
                Int("hnsw_ef_construction", defaults.Hnsw.EfConstruction),
                Int("hnsw_ef_search", defaults.Hnsw.EfSearch)),
            ExactThreshold = Int("exact_threshold", defaults.ExactThreshold),
            Quantization = meta.TryGetValue("quantization", out var quantization) ? Enum.Parse<QuantizationKind>(quantization) : defaults.Quantization,
            Oversampling = Int("oversampling", defaults.Oversampling),
        };
    }

    private static string NewCollectionId() => Guid.NewGuid().ToString("N");

    /// <summary>Puts the database in WAL mode (readers never block the writer).</summary>
    public static void UseWal(SqliteConnection connection) => Execute(connection, "PRAGMA journal_mode=WAL;");

    /// <summary>Takes the database out of WAL mode, so it is one self-contained file (for a copy in an archive).</summary>
    public static void LeaveWal(SqliteConnection connection) => Execute(connection, "PRAGMA journal_mode=DELETE;");

    /// <summary>Records the collection's name (a restored copy takes the name it is restored under).</summary>
    public static void Rename(SqliteConnection connection, string name) =>
        Execute(connection, "UPDATE meta SET value = $v WHERE key = 'name'", null, ("$v", name));

    /// <summary>A meta value (null when absent).</summary>
    public static string? ReadMeta(SqliteConnection connection, SqliteTransaction? transaction, string key) =>
        Scalar(connection, "SELECT value FROM meta WHERE key = $k", transaction, ("$k", key)) as string;

    /// <summary>Sets a meta value, adding the key when it is new.</summary>
    public static void WriteMeta(SqliteConnection connection, SqliteTransaction transaction, string key, string value) =>
        Execute(connection, "INSERT INTO meta(key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value", transaction, ("$k", key), ("$v", value));

    public static byte[] ToBlob(ReadOnlySpan<float> vector) => MemoryMarshal.AsBytes(vector).ToArray();

    public static float[] FromBlob(byte[] blob) => MemoryMarshal.Cast<byte, float>(blob).ToArray();

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command.ExecuteScalar();
    }
}
