using Microsoft.Extensions.Logging;
using Quiver.Core;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;
using Quiver.Store.Collections;
using Quiver.Store.VectorData;

namespace Quiver.Server.Collections;

/// <summary>The collections this server has open (one <see cref="Collection"/> per name), and the model that embeds text for each.</summary>
/// <param name="logger">Where the store reports damage it repaired (a snapshot rebuilt, leftover files moved aside).</param>
internal sealed class ServedCollections(QuiverPaths paths, ServedModels models, ILogger<CollectionStore> logger) : IDisposable
{
    private readonly OpenCollections _open = new(CollectionStore.FromPaths(paths, logger));

    public CollectionStore Store => _open.Store;

    public IEnumerable<string> Names => Store.List();

    public IReadOnlyList<Collection> Opened => _open.Opened;

    public Collection Get(string name)
    {
        ResourceName.Validate(name, "collection");
        return _open.Find(name) ?? throw ApiException.NotFound($"Not found: Collection `{name}` doesn't exist!", code: "collection_not_found");
    }

    public Collection Create(string name, CollectionOptions options)
    {
        ResourceName.Validate(name, "collection");
        if (Store.Exists(name))
        {
            throw ApiException.BadRequest($"Wrong input: Collection `{name}` already exists!");
        }

        return _open.OpenOrCreate(name, options);
    }

    public bool Delete(string name)
    {
        ResourceName.Validate(name, "collection");
        return _open.Delete(name);
    }

    /// <summary>
    /// The installed model whose vectors the collection holds (its space's model name, before the pooling), checked
    /// against the exact revision; a raw-vector collection has none.
    /// </summary>
    public ServedModel ModelFor(Collection collection)
    {
        if (collection.Space.IsRaw)
        {
            throw ApiException.BadRequest(
                $"Collection `{collection.Name}` holds raw vectors and has no model to embed text with. Send vectors, or create the collection with \"model\".");
        }

        var name = collection.Space.ModelId.Split('/')[0];
        var model = models.Get(name);
        collection.Space.EnsureAccepts(model.Space, $"Text for collection '{collection.Name}'");
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
