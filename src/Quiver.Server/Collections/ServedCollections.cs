using Microsoft.Extensions.Logging;
using Quiver.Catalogue;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;
using Quiver.Store.Aliases;
using Quiver.Store.Collections;
using Quiver.Store.Snapshots;

namespace Quiver.Server.Collections;

/// <summary>
/// The collections this server has open (one <see cref="Collection"/> per name), the model that embeds text for each,
/// their aliases (every look-up by name takes an alias too) and their snapshots.
/// </summary>
/// <param name="logger">Where the store reports damage it repaired (a snapshot rebuilt, leftover files moved aside).</param>
internal sealed class ServedCollections(QuiverPaths paths, ServedModels models, ILogger<CollectionStore> logger) : IDisposable
{
    private readonly OpenCollections _open = new(CollectionStore.FromPaths(paths, logger));

    public CollectionStore Store => _open.Store;

    public IEnumerable<string> Names => Store.List();

    public IReadOnlyList<Collection> Opened => _open.Opened;

    public CollectionSnapshots Snapshots { get; } = CollectionSnapshots.FromPaths(paths);

    /// <summary>The collection a name (or an alias) means; 404 in Qdrant's words when there is none.</summary>
    public Collection Get(string name)
    {
        ResourceName.Validate(name, "collection");
        return _open.Find(Store.Resolve(name)) ?? throw NotFound(name);
    }

    /// <summary>Whether a collection of that name, or an alias of one, exists.</summary>
    public bool Exists(string name) => Store.Exists(Store.Resolve(name));

    /// <summary>Applies alias changes all or nothing, with Qdrant's errors.</summary>
    public void ChangeAliases(IReadOnlyList<AliasAction> actions)
    {
        try
        {
            Store.Aliases.Apply(actions);
        }
        catch (CollectionNotFoundException missing)
        {
            throw NotFound(missing.Name);
        }
        catch (AliasNotFoundException missing)
        {
            throw ApiException.NotFound($"Not found: Alias {missing.Alias} does not exists! {missing.Message}", code: "alias_not_found");
        }
    }

    /// <summary>
    /// Restores a snapshot file into the collection <paramref name="name"/> (or the one it is an alias of), replacing it
    /// when it exists; the open collection is closed first so no request keeps its old index.
    /// </summary>
    public RestoredCollection Restore(string name, string file, string? checksum, CancellationToken cancellationToken)
    {
        ResourceName.Validate(name, "collection");
        var target = Store.Resolve(name);
        try
        {
            return _open.Replace(target, () => Store.Restore(file, new RestoreOptions(target, Replace: true, checksum), cancellationToken: cancellationToken));
        }
        catch (InvalidSnapshotException invalid)
        {
            throw ApiException.BadRequest($"Wrong input: {invalid.Message}", "snapshot");
        }
    }

    private static ApiException NotFound(string name) =>
        ApiException.NotFound($"Not found: Collection `{name}` doesn't exist!", code: "collection_not_found");

    public Collection Create(string name, CollectionOptions options)
    {
        ResourceName.Validate(name, "collection");
        if (Store.Exists(name))
        {
            throw ApiException.BadRequest($"Wrong input: Collection `{name}` already exists!");
        }

        if (Store.Aliases.Target(name) is not null)
        {
            throw ApiException.BadRequest($"Wrong input: Can't create collection with name {name}. Alias with the same name already exists");
        }

        return _open.OpenOrCreate(name, options);
    }

    public bool Delete(string name)
    {
        ResourceName.Validate(name, "collection");
        return _open.Delete(name);
    }

    /// <summary>
    /// The installed model whose vectors the collection holds, opened with the variant (pooling) its space records and
    /// checked against the exact revision; a raw-vector collection has none.
    /// </summary>
    public ServedModel ModelFor(Collection collection) => ModelFor(collection.Name, collection.Space);

    /// <summary>The served model that embeds text for the collection <paramref name="name"/> of <paramref name="space"/> (a local or a distributed one).</summary>
    public ServedModel ModelFor(string name, EmbeddingSpace space)
    {
        if (space.IsRaw)
        {
            throw ApiException.BadRequest(
                $"Collection `{name}` holds raw vectors and has no model to embed text with. Send vectors, or create the collection with \"model\".");
        }

        // The served model, shared with /v1/embeddings when the variant is the model's own, opens the variant the
        // catalogue's CollectionEncoders would, and is checked as the catalogue checks an encoder it opens for a collection.
        var model = models.Get(space.Model.Name, space.Model.Variant);
        CollectionEncoders.EnsureInstalledMatches(name, space, model.Space);
        return model;
    }

    public void FlushAll()
    {
        foreach (var collection in _open.Opened)
        {
            collection.Flush();
        }
    }

    public void Dispose() => _open.Dispose();
}
