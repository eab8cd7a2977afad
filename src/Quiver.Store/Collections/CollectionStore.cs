using Microsoft.Extensions.Logging;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Store.Index;
using Quiver.Store.Keyword;
using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

/// <summary>A folder of collections, one sub-folder each holding its SQLite file.</summary>
public sealed partial class CollectionStore(string root, ILogger? logger = null)
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
            .Where(d => !Path.GetFileName(d).StartsWith('.') && File.Exists(Path.Combine(CollectionFolders.DatabaseFolder(d), CollectionDatabase.FileName)))
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

    /// <summary>
    /// Creates a collection; fails if one of that name exists. Files left where it goes by a collection whose database
    /// is gone (its -wal, -shm, index snapshot) are moved aside to <c>.leftover</c> in the root, never adopted.
    /// </summary>
    public Collection Create(string name, CollectionOptions options)
    {
        ValidateName(name);
        if (options.Space.Dimensions <= 0)
        {
            throw new QuiverException($"A collection needs at least one dimension; got {options.Space.Dimensions}.");
        }

        var index = options.Index ?? IndexOptions.Default;
        index.Hnsw.Validate();
        if (File.Exists(DatabasePath(name)))
        {
            throw AlreadyExists(name);
        }

        if (CollectionFolders.RemoveAbandonedStaging(Root, DateTime.UtcNow) is > 0 and var abandoned)
        {
            logger?.LogWarning("Removed {Count} unfinished collection builds left in {Staging} by a process stopped mid-create.", abandoned, CollectionFolders.Staging);
        }

        // Built whole in a staging folder, then renamed into place: the collection's folder never holds a half-made database.
        var staging = CollectionFolders.NewStagingFolder(Root);
        try
        {
            CreateDatabase(staging, name, options with { Index = index });
            Publish(name, staging);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return Open(name);
    }

    /// <summary>Writes a new, empty collection database into <paramref name="folder"/> (which must exist).</summary>
    internal static void CreateDatabase(string folder, string name, CollectionOptions options)
    {
        var path = Path.Combine(folder, CollectionDatabase.FileName);
        using var connection = CollectionDatabase.Open(CollectionDatabase.ConnectionString(path, create: true, pooled: false));
        CollectionDatabase.Create(connection, name, options.Space, options.Index ?? IndexOptions.Default);
        using var transaction = connection.BeginTransaction();
        KeywordSchema.Create(connection, transaction, (options.Keyword ?? KeywordOptions.Default).Stemming);
        transaction.Commit();
    }

    /// <summary>
    /// Moves a complete collection folder built elsewhere (a staging or re-embedding folder) into place as collection
    /// <paramref name="name"/>; fails, leaving it where it was, when that name is taken.
    /// </summary>
    internal void Publish(string name, string staging)
    {
        var folder = Path.Combine(Root, name);

        // Pooled connections to a deleted database at this path must not serve the new one.
        CollectionDatabase.ClearPool(DatabasePath(name));
        var moved = CollectionFolders.MoveAsideLeftovers(Root, folder, CollectionDatabase.FileName);
        if (moved is not null)
        {
            logger?.LogWarning(
                "Collection {Collection}: its folder held files but no database (left by a deleted collection); moved them to {Leftovers} and created the collection afresh.",
                name,
                moved);
        }

        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(DatabasePath(name)))
        {
            throw AlreadyExists(name);
        }
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

        path = FinishSwitch(name, path);
        RemoveRetiredVersions(name);
        return OpenAt(name, Path.GetDirectoryName(path)!);
    }

    /// <summary>Opens the collection database in <paramref name="folder"/> (a version folder, or a re-embedding being built) under <paramref name="name"/>.</summary>
    internal Collection OpenAt(string name, string folder)
    {
        var path = Path.Combine(folder, CollectionDatabase.FileName);
        using var connection = CollectionDatabase.Open(CollectionDatabase.ConnectionString(path, create: false));
        var meta = CollectionDatabase.ReadMeta(connection);
        var space = CollectionDatabase.SpaceOf(meta, path);
        if (CollectionDatabase.EnsureCollectionId(connection, meta))
        {
            logger?.LogInformation(
                "Collection {Collection} was made before index snapshots were bound to their database; gave it collection id {Id} (its index is rebuilt once).",
                name,
                meta[CollectionDatabase.CollectionIdKey]);
        }

        var stemming = KeywordSchema.EnsureCreated(connection, meta, path);
        return new Collection(
            name, folder, space, CollectionDatabase.IndexOptionsOf(meta), CollectionDatabase.PayloadIndexesOf(meta), CollectionDatabase.BindingOf(meta, path), logger)
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

        foreach (var database in Directory.EnumerateFiles(folder, CollectionDatabase.FileName, SearchOption.AllDirectories))
        {
            CollectionDatabase.ClearPool(database);
        }

        Directory.Delete(folder, recursive: true);
        return true;
    }

    private QuiverException AlreadyExists(string name) =>
        new($"A collection named '{name}' already exists in {Root}. Open it, delete it first, or choose another name.");

    /// <summary>Where collection <paramref name="name"/>'s database is now (the file need not exist).</summary>
    internal string DatabasePath(string name) => Path.Combine(CollectionFolders.DatabaseFolder(Path.Combine(Root, name)), CollectionDatabase.FileName);

    private static void ValidateName(string name) => ResourceName.Validate(name, "collection");
}
