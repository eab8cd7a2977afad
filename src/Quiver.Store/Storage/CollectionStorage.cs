using Microsoft.Data.Sqlite;
using Quiver.Core;
using Quiver.Core.Spaces;

namespace Quiver.Store.Storage;

/// <summary>
/// Connections and transactions to one collection version's database. The statements themselves live in
/// <see cref="PointTable"/>, <see cref="ChangeLog"/>, <see cref="KeywordTable"/> and <see cref="CollectionDatabase"/>.
/// </summary>
internal sealed class CollectionStorage(string name, string databasePath, EmbeddingSpace space)
{
    private readonly string _connectionString = CollectionDatabase.ConnectionString(databasePath, create: false);

    public string DatabasePath { get; } = databasePath;

    // A handle that outlived its database (the collection was deleted, or re-embedded and the old version removed once
    // no reader had it open) gets told so, not SQLite's "unable to open".
    public SqliteConnection Open()
    {
        try
        {
            return CollectionDatabase.Open(_connectionString);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 14 && !File.Exists(DatabasePath))
        {
            throw new QuiverException(
                $"Collection '{name}': its database {DatabasePath} is gone; the collection was deleted, or re-embedded into a new version after this " +
                "handle was opened. Open the collection again.", e);
        }
    }

    /// <summary>A write transaction on <paramref name="connection"/> (see <see cref="CollectionDatabase.BeginWrite"/>).</summary>
    public SqliteTransaction BeginWrite(SqliteConnection connection) => CollectionDatabase.BeginWrite(connection, name, space);
}
