using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Quiver.Core;

namespace Quiver.Models.Caching;

/// <summary>
/// The on-disk layer: one SQLite file (WAL) of key, float32 little-endian vector, model id, properties and time.
/// Each row carries a SHA-256 digest of its contents, so a damaged row is found on read and answers as a miss
/// rather than with a wrong vector; the next write of that key replaces it.
/// </summary>
internal sealed class DiskEmbeddingStore : IDisposable
{
    private const string FormatVersion = "1";
    private const string JsonType = "Json";
    private const string NullType = "Null";

    private readonly string _connectionString;

    public DiskEmbeddingStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        string? version;
        try
        {
            using var connection = Open();
            Execute(connection, "PRAGMA journal_mode=WAL;");
            using var transaction = connection.BeginTransaction();
            Execute(connection, $"""
                CREATE TABLE IF NOT EXISTS meta(key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) STRICT;
                CREATE TABLE IF NOT EXISTS embeddings(
                    key BLOB NOT NULL PRIMARY KEY,
                    vector BLOB NOT NULL,
                    model_id TEXT,
                    properties TEXT,
                    created_at INTEGER,
                    digest BLOB NOT NULL) STRICT, WITHOUT ROWID;
                INSERT OR IGNORE INTO meta(key, value) VALUES ('format_version', '{FormatVersion}');
                """, transaction);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT value FROM meta WHERE key = 'format_version'";
            version = command.ExecuteScalar() as string;
            transaction.Commit();
        }
        catch (SqliteException e)
        {
            Dispose();
            throw new StoredDataException(
                Path,
                $"{Path} cannot be opened as an embedding cache: {e.Message} It holds only a cache: delete it, or point DiskPath elsewhere.", e);
        }

        if (version != FormatVersion)
        {
            Dispose();
            throw new StoredDataException(
                Path,
                $"{Path} is an embedding cache of format {version ?? "(none)"}, and this Quiver reads format {FormatVersion}. " +
                "It holds only a cache: delete it, or point DiskPath elsewhere.");
        }
    }

    public string Path { get; }

    /// <summary>The intact rows among <paramref name="keys"/> whose vectors have <paramref name="dimensions"/> values.</summary>
    public Dictionary<EmbeddingCacheKey, CachedEmbedding> Read(IReadOnlyCollection<EmbeddingCacheKey> keys, int dimensions, CancellationToken cancellationToken)
    {
        var found = new Dictionary<EmbeddingCacheKey, CachedEmbedding>(keys.Count);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT vector, model_id, properties, created_at, digest FROM embeddings WHERE key = $key";
        var key = command.Parameters.Add("$key", SqliteType.Blob);
        foreach (var wanted in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            key.Value = wanted.ToArray();
            using var reader = command.ExecuteReader();
            if (reader.Read() && Decode(wanted, reader, dimensions) is { } embedding)
            {
                found[wanted] = embedding;
            }
        }

        return found;
    }

    /// <summary>Stores <paramref name="entries"/> in one transaction, replacing any row of the same key.</summary>
    public void Write(IReadOnlyList<(EmbeddingCacheKey Key, CachedEmbedding Value)> entries)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT OR REPLACE INTO embeddings(key, vector, model_id, properties, created_at, digest)
            VALUES ($key, $vector, $model_id, $properties, $created_at, $digest)
            """;
        var key = command.Parameters.Add("$key", SqliteType.Blob);
        var vector = command.Parameters.Add("$vector", SqliteType.Blob);
        var modelId = command.Parameters.Add("$model_id", SqliteType.Text);
        var properties = command.Parameters.Add("$properties", SqliteType.Text);
        var createdAt = command.Parameters.Add("$created_at", SqliteType.Integer);
        var digest = command.Parameters.Add("$digest", SqliteType.Blob);
        foreach (var (entryKey, entry) in entries)
        {
            var keyBytes = entryKey.ToArray();
            var vectorBytes = VectorBytes(entry.Vector);
            var encoded = EncodeProperties(entry.Properties);
            long? created = entry.CreatedAt?.UtcTicks;
            key.Value = keyBytes;
            vector.Value = vectorBytes;
            modelId.Value = (object?)entry.ModelId ?? DBNull.Value;
            properties.Value = (object?)encoded ?? DBNull.Value;
            createdAt.Value = (object?)created ?? DBNull.Value;
            digest.Value = Digest(keyBytes, vectorBytes, entry.ModelId, encoded, created);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public void Dispose()
    {
        // Pooled connections keep the file open after use; release them so the file can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();

        // A cache may lose its last commits to a power cut; WAL keeps the file itself sound either way.
        Execute(connection, "PRAGMA synchronous=NORMAL;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static CachedEmbedding? Decode(EmbeddingCacheKey key, SqliteDataReader reader, int dimensions)
    {
        if (reader.GetValue(0) is not byte[] vectorBytes || vectorBytes.Length != dimensions * sizeof(float) ||
            reader.GetValue(4) is not byte[] digest)
        {
            return null;
        }

        var modelId = reader.GetValue(1) as string;
        var encoded = reader.GetValue(2) as string;
        long? created = reader.GetValue(3) is long ticks ? ticks : null;
        if (!digest.AsSpan().SequenceEqual(Digest(key.ToArray(), vectorBytes, modelId, encoded, created)) ||
            !TryDecodeProperties(encoded, out var properties))
        {
            return null;
        }

        var vector = new float[dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = BinaryPrimitives.ReadSingleLittleEndian(vectorBytes.AsSpan(i * sizeof(float)));
        }

        return new CachedEmbedding(vector, modelId, created is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null, properties);
    }

    private static byte[] VectorBytes(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return bytes;
    }

    private static byte[] Digest(byte[] key, byte[] vector, string? modelId, string? properties, long? created)
    {
        var buffer = new ArrayBufferWriter<byte>(key.Length + vector.Length + 64);
        buffer.Write(key);
        WriteLength(buffer, vector.Length);
        buffer.Write(vector);
        WriteText(buffer, modelId);
        WriteText(buffer, properties);
        WriteLength(buffer, created is null ? -1 : sizeof(long));
        if (created is { } ticks)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(sizeof(long)), ticks);
            buffer.Advance(sizeof(long));
        }

        return SHA256.HashData(buffer.WrittenSpan);
    }

    private static void WriteText(ArrayBufferWriter<byte> buffer, string? text)
    {
        WriteLength(buffer, text is null ? -1 : Encoding.UTF8.GetByteCount(text));
        if (text is not null)
        {
            buffer.Advance(Encoding.UTF8.GetBytes(text, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length))));
        }
    }

    private static void WriteLength(ArrayBufferWriter<byte> buffer, int length)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(sizeof(int)), length);
        buffer.Advance(sizeof(int));
    }

    /// <summary>
    /// Properties as a JSON object of name to [type, text]: .NET primitives and strings by their TypeCode, so that a
    /// disk hit gives back an Int32 where the model gave one; anything else by its JSON form, read back as a
    /// JsonElement. A value JSON cannot hold is left out: it is metadata, and the vector is still worth keeping.
    /// </summary>
    private static string? EncodeProperties(AdditionalPropertiesDictionary? properties)
    {
        if (properties is null || properties.Count == 0)
        {
            return null;
        }

        var encoded = new Dictionary<string, string[]>(properties.Count, StringComparer.Ordinal);
        foreach (var (name, value) in properties)
        {
            if (Encode(value) is { } pair)
            {
                encoded[name] = pair;
            }
        }

        try
        {
            return JsonSerializer.Serialize(encoded, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Dictionary<string, string[]>)));
        }
        catch (ArgumentException)
        {
            // A name or text with a lone surrogate has no JSON form; keep the vector without its properties.
            return null;
        }
    }

    private static string[]? Encode(object? value)
    {
        if (value is null)
        {
            return [NullType, string.Empty];
        }

        var type = value.GetType();
        if (!type.IsEnum && IsPrimitive(Type.GetTypeCode(type)))
        {
            return [Type.GetTypeCode(type).ToString(), Convert.ToString(value, CultureInfo.InvariantCulture)!];
        }

        try
        {
            return [JsonType, JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(type))];
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private static bool TryDecodeProperties(string? encoded, out AdditionalPropertiesDictionary? properties)
    {
        properties = null;
        if (encoded is null)
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(encoded);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            properties = [];
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() != 2 ||
                    property.Value[0].GetString() is not { } type || property.Value[1].GetString() is not { } text)
                {
                    return false;
                }

                properties[property.Name] = type switch
                {
                    NullType => null,
                    JsonType => JsonDocument.Parse(text).RootElement.Clone(),
                    _ when Enum.TryParse<TypeCode>(type, out var code) && IsPrimitive(code) =>
                        Convert.ChangeType(text, code, CultureInfo.InvariantCulture),
                    _ => throw new FormatException($"Unknown property type {type}."),
                };
            }

            return true;
        }
        catch (Exception e) when (e is JsonException or FormatException or OverflowException or InvalidOperationException or InvalidCastException)
        {
            properties = null;
            return false;
        }
    }

    private static bool IsPrimitive(TypeCode code) =>
        code is >= TypeCode.Boolean and <= TypeCode.Decimal or TypeCode.String;
}
