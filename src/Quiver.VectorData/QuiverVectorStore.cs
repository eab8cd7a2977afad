using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Quiver.Core;
using Quiver.Store.Collections;

namespace Quiver.VectorData;

/// <summary>
/// Quiver's collections as a Microsoft.Extensions.VectorData <see cref="VectorStore"/>, so code written against the
/// standard abstraction stores and searches through Quiver. Collections it creates hold raw vectors
/// (<see cref="Quiver.Core.Spaces.EmbeddingSpace.Raw"/>) with the record's dimensions and distance function.
/// </summary>
public sealed class QuiverVectorStore : VectorStore
{
    internal const string SystemName = "quiver";

    private readonly OpenCollections _collections;
    private readonly IEmbeddingGenerator? _embeddingGenerator;
    private readonly VectorStoreMetadata _metadata;

    /// <param name="store">The folder of collections to work in.</param>
    /// <param name="embeddingGenerator">
    /// The default generator for every collection: turns search inputs such as strings into vectors (and string vector
    /// properties, on upsert). A collection definition or vector property may name its own.
    /// </param>
    public QuiverVectorStore(CollectionStore store, IEmbeddingGenerator? embeddingGenerator = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _collections = new OpenCollections(store);
        _embeddingGenerator = embeddingGenerator;
        _metadata = new VectorStoreMetadata { VectorStoreSystemName = SystemName, VectorStoreName = store.Root };
    }

    public override VectorStoreCollection<TKey, TRecord> GetCollection<TKey, TRecord>(string name, VectorStoreCollectionDefinition? definition = null) =>
        new QuiverVectorStoreCollection<TKey, TRecord>(_collections, ownsCollections: false, name, definition, _embeddingGenerator);

    /// <summary>A collection of <c>Dictionary&lt;string, object?&gt;</c> records, keyed by the key property's type (string, Guid, int or long) as object.</summary>
    public override VectorStoreCollection<object, Dictionary<string, object?>> GetDynamicCollection(string name, VectorStoreCollectionDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new QuiverVectorStoreCollection<object, Dictionary<string, object?>>(_collections, ownsCollections: false, name, definition, _embeddingGenerator);
    }

    public override async IAsyncEnumerable<string> ListCollectionNamesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var names = await Task.Run(() => _collections.Store.List(), cancellationToken).ConfigureAwait(false);
        foreach (var name in names)
        {
            yield return name;
        }
    }

    public override Task<bool> CollectionExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        return Task.Run(() => _collections.Store.Exists(name), cancellationToken);
    }

    public override Task EnsureCollectionDeletedAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        return Task.Run(() => _collections.Delete(name), cancellationToken);
    }

    /// <summary>This store's <see cref="VectorStoreMetadata"/>, its <see cref="CollectionStore"/>, or the store itself.</summary>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(VectorStoreMetadata))
        {
            return _metadata;
        }

        if (serviceType == typeof(CollectionStore))
        {
            return _collections.Store;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _collections.Dispose();
        }

        base.Dispose(disposing);
    }

    private void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            _collections.Store.Exists(name);
        }
        catch (QuiverException e)
        {
            throw new ArgumentException(e.Message, nameof(name), e);
        }
    }
}
