using Microsoft.Data.Sqlite;
using Quiver.Core;
using Quiver.Store.Keyword;

namespace Quiver.Store.Storage;

/// <summary>
/// The keyword index inside a collection's SQLite file: an FTS5 table over the points' text (external content read
/// through a view of the points that have text, so the text is stored once and FTS5's integrity check can compare
/// the two) whose rowid is the point's sequence number, kept in step by triggers on the points table. A trigger runs inside the statement that fired it, so every upsert and delete changes the points row and
/// its keyword row in one transaction, whoever writes (this class, another process, an older Quiver): the two can
/// never disagree after a commit, a rollback or a crash.
/// </summary>
internal static class KeywordSchema
{
    public const string Table = "keyword_fts";

    /// <summary>Meta key recording the stemming chosen at creation.</summary>
    public const string StemmingKey = "keyword_stemming";

    public static string Tokenizer(KeywordStemming stemming) => stemming switch
    {
        KeywordStemming.English => "porter unicode61 remove_diacritics 2",
        _ => "unicode61 remove_diacritics 2",
    };

    /// <summary>Creates the table and triggers and indexes the text already stored, inside <paramref name="transaction"/>.</summary>
    public static void Create(SqliteConnection connection, SqliteTransaction transaction, KeywordStemming stemming)
    {
        CollectionDatabase.Execute(connection, $"""
            CREATE VIEW keyword_content AS SELECT seq, text FROM points WHERE text IS NOT NULL;
            CREATE VIRTUAL TABLE {Table} USING fts5(text, content='keyword_content', content_rowid='seq', tokenize='{Tokenizer(stemming)}');
            CREATE TRIGGER keyword_after_insert AFTER INSERT ON points WHEN new.text IS NOT NULL BEGIN
                INSERT INTO {Table}(rowid, text) VALUES (new.seq, new.text);
            END;
            CREATE TRIGGER keyword_after_delete AFTER DELETE ON points WHEN old.text IS NOT NULL BEGIN
                INSERT INTO {Table}({Table}, rowid, text) VALUES ('delete', old.seq, old.text);
            END;
            CREATE TRIGGER keyword_after_update AFTER UPDATE OF seq, text ON points BEGIN
                INSERT INTO {Table}({Table}, rowid, text) SELECT 'delete', old.seq, old.text WHERE old.text IS NOT NULL;
                INSERT INTO {Table}(rowid, text) SELECT new.seq, new.text WHERE new.text IS NOT NULL;
            END;
            INSERT INTO {Table}(rowid, text) SELECT seq, text FROM points WHERE text IS NOT NULL;
            """, transaction);
        CollectionDatabase.Execute(
            connection, "INSERT INTO meta(key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value", transaction,
            ("$k", StemmingKey), ("$v", stemming.ToString()));
    }

    /// <summary>
    /// The collection's stemming; a collection made before keyword search gets its index now (no stemming), built
    /// from its stored text in one transaction, so a crash leaves either no index or a complete one.
    /// </summary>
    public static KeywordStemming EnsureCreated(SqliteConnection connection, Dictionary<string, string> meta, string path)
    {
        if (Exists(connection, null))
        {
            return StemmingOf(meta, path);
        }

        using var transaction = connection.BeginTransaction(deferred: false);

        // Another process may have migrated the file between the check and the write lock.
        if (!Exists(connection, transaction))
        {
            Create(connection, transaction, KeywordStemming.None);
        }

        var stemming = StemmingOf(CollectionDatabase.ReadMeta(connection, transaction), path);
        transaction.Commit();
        return stemming;
    }

    /// <summary>Keyword rows, points with text, and keyword rows without a matching point (0 when in step).</summary>
    public static (long KeywordRows, long PointsWithText, long Orphans) Census(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            SELECT (SELECT COUNT(*) FROM {Table}_docsize),
                   (SELECT COUNT(*) FROM points WHERE text IS NOT NULL),
                   (SELECT COUNT(*) FROM {Table}_docsize d WHERE NOT EXISTS (SELECT 1 FROM points p WHERE p.seq = d.id AND p.text IS NOT NULL))
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private static bool Exists(SqliteConnection connection, SqliteTransaction? transaction) =>
        CollectionDatabase.Scalar(connection, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $n", transaction, ("$n", Table)) is not null;

    private static KeywordStemming StemmingOf(Dictionary<string, string> meta, string path)
    {
        if (!meta.TryGetValue(StemmingKey, out var value))
        {
            return KeywordStemming.None;
        }

        return Enum.TryParse<KeywordStemming>(value, out var stemming)
            ? stemming
            : throw new QuiverException($"{path} records keyword stemming '{value}', which this Quiver does not know (None or English); upgrade Quiver to open it.");
    }
}
