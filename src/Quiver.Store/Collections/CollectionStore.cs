using Microsoft.Extensions.Logging;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Store.Aliases;
using Quiver.Store.Index;
using Quiver.Store.Keyword;
using Quiver.Store.Storage;

namespace Quiver.Store.Collections;

/// <summary>
/// A folder of collections, one sub-folder each holding its SQLite file (or its versions, see <c>Versions</c>), and their <see cref="Aliases"/>: every method
/// that opens a collection by name accepts an alias too.
/// </summary>
public sealed partial class CollectionStore
{
    private readonly ILogger? _logger;

    public CollectionStore(string root, ILogger? logger = null)
    {
        Root = Path.GetFullPath(root);
        _logger = logger;
        Aliases = new CollectionAliases(this);
    }

    public string Root { get; }

    /// <summary>Other names for this store's collections (Qdrant's aliases).</summary>
    public CollectionAliases Aliases { get; }

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

    /// <summary>Whether a collection of this very name exists (an alias is not a collection: see <see cref="Resolve"/>).</summary>
    public bool Exists(string name)
    {
        ValidateName(name);
        return File.Exists(DatabasePath(name));
    }

    /// <summary>The collection a name means: the collection an alias points at, else the name itself.</summary>
    public string Resolve(string name)
    {
        ValidateName(name);
        return Aliases.Target(name) ?? name;
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

        // Held until the collection is in place, so an alias of this name cannot appear in between.
        using var aliasLock = AliasFile.Lock(Root);
        if (Aliases.Target(name) is { } target)
        {
            throw new QuiverException(
                $"Can't create collection with name {name}. Alias with the same name already exists (it points at '{target}'). Delete or rename the alias first, or choose another name.");
        }

        if (CollectionFolders.RemoveAbandonedStaging(Root, DateTime.UtcNow) is > 0 and var abandoned)
        {
            _logger?.LogWarning("Removed {Count} unfinished collection builds left in {Staging} by a process stopped mid-create.", abandoned, CollectionFolders.Staging);
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
            _logger?.LogWarning(
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
        name = Resolve(name);
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

    /// <summary>Opens a collection by its name or an alias of it.</summary>
    public Collection Open(string name)
    {
        var asked = name;
        name = Resolve(name);
        var path = DatabasePath(name);
        if (!File.Exists(path))
        {
            throw new CollectionNotFoundException(asked, Root, List());
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
            _logger?.LogInformation(
                "Collection {Collection} was made before index snapshots were bound to their database; gave it collection id {Id} (its index is rebuilt once).",
                name,
                meta[CollectionDatabase.CollectionIdKey]);
        }

        var stemming = KeywordSchema.EnsureCreated(connection, meta, path);
        return new Collection(
            name, folder, space, CollectionDatabase.IndexOptionsOf(meta), CollectionDatabase.PayloadIndexesOf(meta), CollectionDatabase.BindingOf(meta, path), _logger)
        {
            KeywordStemming = stemming,
        };
    }

    /// <summary>
    /// Deletes a collection, its files and its aliases; returns whether it existed. An alias is not resolved here (as in
    /// Qdrant): deleting by an alias's name deletes nothing.
    /// </summary>
    public bool Delete(string name)
    {
        ValidateName(name);
        var folder = Path.Combine(Root, name);
        if (!Directory.Exists(folder))
        {
            return false;
        }

        using var aliasLock = AliasFile.Lock(Root);
        Aliases.DropAliasesOf(name);

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
