using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Store.Index;
using Quiver.Store.Keyword;
using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

/// <summary>A folder of collections, one sub-folder each holding its SQLite file.</summary>
public sealed class CollectionStore(string root, ILogger? logger = null)
{
    public string Root { get; } = Path.GetFullPath(root);

    public static CollectionStore FromPaths(QuiverPaths paths, ILogger? logger = null) => new(paths.Collections, logger);

    public IReadOnlyList<string> List()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        return Directory.EnumerateDirectories(Root)
            .Where(d => File.Exists(Path.Combine(d, CollectionDatabase.FileName)))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public bool Exists(string name)
    {
        ValidateName(name);
        return File.Exists(DatabasePath(name));
    }

    /// <summary>Creates a collection; fails if one of that name exists.</summary>
    public Collection Create(string name, CollectionOptions options)
    {
        ValidateName(name);
        if (options.Space.Dimensions <= 0)
        {
            throw new QuiverException($"A collection needs at least one dimension; got {options.Space.Dimensions}.");
        }

        var folder = Path.Combine(Root, name);
        if (File.Exists(DatabasePath(name)))
        {
            throw new QuiverException($"A collection named '{name}' already exists in {Root}. Open it, delete it first, or choose another name.");
        }

        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, CollectionDatabase.FileName + ".creating");
        File.Delete(temp);
        using (var connection = CollectionDatabase.Open(CollectionDatabase.ConnectionString(temp, create: true)))
        {
            var index = options.Index ?? IndexOptions.Default;
            index.Hnsw.Validate();
            CollectionDatabase.Create(connection, name, options.Space, index);
            using (var transaction = connection.BeginTransaction())
            {
                KeywordSchema.Create(connection, transaction, (options.Keyword ?? KeywordOptions.Default).Stemming);
                transaction.Commit();
            }

            CollectionDatabase.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;");
        }

        // Publish the file only once its schema is complete; then switch it to WAL for good.
        SqliteConnection.ClearAllPools();
        File.Move(temp, DatabasePath(name));
        using (var connection = CollectionDatabase.Open(CollectionDatabase.ConnectionString(DatabasePath(name), create: false)))
        {
            CollectionDatabase.Execute(connection, "PRAGMA journal_mode=WAL;");
        }

        return Open(name);
    }

    /// <summary>Opens a collection, or creates it when absent. An existing one must be bound to the same space.</summary>
    public Collection OpenOrCreate(string name, CollectionOptions options)
    {
        if (!Exists(name))
        {
            return Create(name, options);
        }

        var collection = Open(name);
        collection.Space.EnsureAccepts(options.Space, $"Collection '{name}'");
        if (collection.Space.Metric != options.Space.Metric)
        {
            throw new QuiverException(
                $"Collection '{name}' compares vectors by {collection.Space.Metric}, not {options.Space.Metric}. Use another collection name.");
        }

        return collection;
    }

    public Collection Open(string name)
    {
        ValidateName(name);
        var path = DatabasePath(name);
        if (!File.Exists(path))
        {
            throw new CollectionNotFoundException(name, Root, List());
        }

        using var connection = CollectionDatabase.Open(CollectionDatabase.ConnectionString(path, create: false));
        var meta = CollectionDatabase.ReadMeta(connection);
        var space = CollectionDatabase.SpaceOf(meta, path);
        var created = DateTimeOffset.Parse(meta["created_at"], CultureInfo.InvariantCulture);
        var stemming = KeywordSchema.EnsureCreated(connection, meta, path);
        return new Collection(
            name, Path.Combine(Root, name), space, CollectionDatabase.IndexOptionsOf(meta), CollectionDatabase.PayloadIndexesOf(meta), created, logger)
        {
            KeywordStemming = stemming,
        };
    }

    /// <summary>Deletes a collection and its files; returns whether it existed.</summary>
    public bool Delete(string name)
    {
        ValidateName(name);
        var folder = Path.Combine(Root, name);
        if (!Directory.Exists(folder))
        {
            return false;
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return true;
    }

    private string DatabasePath(string name) => Path.Combine(Root, name, CollectionDatabase.FileName);

    private static void ValidateName(string name) => ResourceName.Validate(name, "collection");
}
