using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Quiver.Core;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;

namespace Quiver.VectorData;

/// <summary>
/// A Quiver collection seen through Microsoft.Extensions.VectorData. Each record is one point: its key is the point
/// id (text for Guid, int and long keys), its data properties are payload fields under their storage names, and its
/// one vector property is the point's vector. Scores are Quiver's, in the record's distance function: a similarity
/// (higher is closer) for CosineSimilarity and DotProductSimilarity, a distance (lower is closer) for the others.
/// </summary>
/// <remarks>
/// Cosine collections store unit vectors, so a cosine record read back with its vector holds the normalised vector.
/// Filters take ==, !=, &lt;, &lt;=, &gt;, &gt;=, &amp;&amp;, ||, ! and Contains over data properties, never the key.
/// </remarks>
public sealed class QuiverVectorStoreCollection<TKey, TRecord> : VectorStoreCollection<TKey, TRecord>
    where TKey : notnull
    where TRecord : class
{
    private readonly OpenCollections _collections;
    private readonly bool _ownsCollections;
    private readonly RecordModel _model;
    private readonly VectorStoreCollectionMetadata _metadata;

    /// <summary>A collection named <paramref name="name"/> in <paramref name="store"/>, for records of <typeparamref name="TRecord"/>.</summary>
    /// <param name="definition">The record's schema; when given it replaces the attributes on <typeparamref name="TRecord"/>.</param>
    /// <param name="embeddingGenerator">Turns search inputs (and string vector properties) into vectors, unless the definition names another.</param>
    public QuiverVectorStoreCollection(
        CollectionStore store,
        string name,
        VectorStoreCollectionDefinition? definition = null,
        IEmbeddingGenerator? embeddingGenerator = null)
        : this(new OpenCollections(store), ownsCollections: true, name, definition, embeddingGenerator)
    {
    }

    internal QuiverVectorStoreCollection(
        OpenCollections collections,
        bool ownsCollections,
        string name,
        VectorStoreCollectionDefinition? definition,
        IEmbeddingGenerator? embeddingGenerator)
    {
        ArgumentNullException.ThrowIfNull(collections);
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            collections.Store.Exists(name);
        }
        catch (QuiverException e)
        {
            throw new ArgumentException(e.Message, nameof(name), e);
        }

        _model = RecordModel.Build(typeof(TRecord), typeof(TKey), definition, embeddingGenerator);
        _collections = collections;
        _ownsCollections = ownsCollections;
        Name = name;
        _metadata = new VectorStoreCollectionMetadata
        {
            VectorStoreSystemName = QuiverVectorStore.SystemName,
            VectorStoreName = collections.Store.Root,
            CollectionName = name,
        };
    }

    public override string Name { get; }

    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) =>
        Run("CollectionExists", () => _collections.Store.Exists(Name), cancellationToken);

    /// <summary>Creates the collection with the record's dimensions, metric and index kind, or checks that the existing one matches them.</summary>
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) =>
        Run("EnsureCollectionExists", () => Check(_collections.OpenOrCreate(Name, _model.CollectionOptions)), cancellationToken);

    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default) =>
        Run("EnsureCollectionDeleted", () => _collections.Delete(Name), cancellationToken);

    public override Task<TRecord?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        var id = _model.IdOf(key);
        return Run(
            "Get",
            () => Require().Get(id) is { } point ? ToRecord(point.Id, point, options?.IncludeVectors ?? false) : null,
            cancellationToken);
    }

    /// <summary>The records of the keys that exist, in the order of <paramref name="keys"/>.</summary>
    public override async IAsyncEnumerable<TRecord> GetAsync(
        IEnumerable<TKey> keys,
        RecordRetrievalOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var ids = keys.Select(k => _model.IdOf(k)).ToList();
        var includeVectors = options?.IncludeVectors ?? false;
        var records = await Run(
            "Get",
            () =>
            {
                var collection = Require();
                return ids.Select(collection.Get).OfType<Point>().Select(p => ToRecord(p.Id, p, includeVectors)).ToList();
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var record in records)
        {
            yield return record;
        }
    }

    /// <summary>
    /// The records matching <paramref name="filter"/>, in key order (the ordinal order of their ids) unless
    /// <see cref="FilteredRecordRetrievalOptions{TRecord}.OrderBy"/> says otherwise; ordering by properties reads every
    /// matching record.
    /// </summary>
    public override async IAsyncEnumerable<TRecord> GetAsync(
        Expression<Func<TRecord, bool>> filter,
        int top,
        FilteredRecordRetrievalOptions<TRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new FilteredRecordRetrievalOptions<TRecord>();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, "options.Skip");
        var payloadFilter = FilterTranslator.Translate(filter, _model) ?? new PayloadFilter();
        var sorts = options.OrderBy?.Invoke(new FilteredRecordRetrievalOptions<TRecord>.OrderByDefinition()).Values ?? [];
        var records = await Run(
            "Get",
            () =>
            {
                var collection = Require();
                var ids = collection.Ids(payloadFilter).AsEnumerable();
                if (sorts.Count == 0)
                {
                    ids = ids.Skip(options.Skip).Take(top);
                }

                var found = ids.Select(collection.Get).OfType<Point>().Select(p => ToRecord(p.Id, p, options.IncludeVectors)).ToList();
                return sorts.Count == 0 ? found : Sort(found, sorts).Skip(options.Skip).Take(top).ToList();
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var record in records)
        {
            yield return record;
        }
    }

    public override Task DeleteAsync(TKey key, CancellationToken cancellationToken = default) => DeleteAsync([key], cancellationToken);

    /// <summary>Deletes the records of these keys in one transaction; keys with no record are ignored.</summary>
    public override Task DeleteAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var ids = keys.Select(k => _model.IdOf(k)).ToList();
        return Run("Delete", () => Require().Delete(ids), cancellationToken);
    }

    public override Task UpsertAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertAsync([record], cancellationToken);
    }

    /// <summary>
    /// Inserts or replaces the records in one transaction: nothing is written unless every record is valid. An empty
    /// Guid key gets a new Guid, set on the record.
    /// </summary>
    public override async Task UpsertAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var batch = records.ToList();
        if (batch.Count == 0)
        {
            return;
        }

        var ids = batch.Select(r => _model.EnsureId(r ?? throw new ArgumentException("The batch holds a null record.", nameof(records)))).ToList();
        var texts = new string?[batch.Count];
        float[][] vectors;
        if (_model.VectorKind == VectorKind.Text)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                texts[i] = _model.Vector.Get(batch[i]) as string
                    ?? throw new ArgumentException($"Record '{ids[i]}' has no text in '{_model.Vector.Name}' to embed.", nameof(records));
            }

            var generator = (IEmbeddingGenerator<string, Embedding<float>>)_model.EmbeddingGenerator!;
            var embeddings = await generator.GenerateAsync(texts!, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != batch.Count)
            {
                throw new InvalidOperationException(
                    $"The embedding generator returned {embeddings.Count} embeddings for {batch.Count} texts; it must return one per text.");
            }

            vectors = embeddings.Select(e => e.Vector.ToArray()).ToArray();
        }
        else
        {
            vectors = batch.Select((r, i) => _model.VectorOf(r, ids[i])).ToArray();
        }

        var points = batch.Select((r, i) => new Point(ids[i], vectors[i], _model.PayloadOf(r), texts[i])).ToList();
        await Run("Upsert", () => Require().Upsert(points), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The <paramref name="top"/> records closest to <paramref name="searchValue"/>, best first. The value is a
    /// ReadOnlyMemory&lt;float&gt;, float[] or Embedding&lt;float&gt;, or any input a configured
    /// IEmbeddingGenerator&lt;TInput, Embedding&lt;float&gt;&gt; turns into one.
    /// </summary>
    public override async IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(
        TInput searchValue,
        int top,
        VectorSearchOptions<TRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new VectorSearchOptions<TRecord>();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip, "options.Skip");
        CheckVectorProperty(options.VectorProperty);
        var filter = options.Filter is null ? null : FilterTranslator.Translate(options.Filter, _model);
        var query = searchValue switch
        {
            ReadOnlyMemory<float> memory => memory.ToArray(),
            float[] array => array,
            Embedding<float> embedding => embedding.Vector.ToArray(),
            _ when _model.EmbeddingGenerator is IEmbeddingGenerator<TInput, Embedding<float>> generator =>
                (await generator.GenerateAsync([searchValue], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector.ToArray(),
            _ => throw new NotSupportedException(
                $"Quiver searches with a ReadOnlyMemory<float>, float[] or Embedding<float>; got a {typeof(TInput).Name}. To search with a {typeof(TInput).Name}, " +
                $"configure an IEmbeddingGenerator<{typeof(TInput).Name}, Embedding<float>> on the vector property, the collection definition or the QuiverVectorStore."),
        };

        var results = await Run(
            "Search",
            () =>
            {
                var collection = Require();
                // Quiver sizes its candidate list by k, so a huge top is first cut down to the collection's size.
                var wanted = (long)top + options.Skip;
                var k = (int)(wanted <= 4096 ? wanted : Math.Min(wanted, Math.Max(1, collection.Count())));
                var found = new List<VectorSearchResult<TRecord>>();
                foreach (var hit in collection.Search(query, k, filter).Skip(options.Skip))
                {
                    var score = _model.Distance.FromQuiverScore(hit.Score);
                    if (!_model.Distance.Passes(score, options.ScoreThreshold))
                    {
                        break;
                    }

                    float[]? vector = null;
                    if (options.IncludeVectors && _model.VectorKind != VectorKind.Text)
                    {
                        vector = collection.Get(hit.Id)?.Vector;
                        if (vector is null)
                        {
                            // Deleted since the search read it.
                            continue;
                        }
                    }

                    found.Add(new VectorSearchResult<TRecord>((TRecord)_model.ToRecord(hit.Id, hit.Payload, vector, hit.Text), score));
                }

                return found;
            },
            cancellationToken).ConfigureAwait(false);
        foreach (var result in results)
        {
            yield return result;
        }
    }

    /// <summary>
    /// This collection's <see cref="VectorStoreCollectionMetadata"/>, its <see cref="CollectionStore"/>, or its open
    /// Quiver <see cref="Collection"/> (null while it does not exist; owned by this adapter, do not dispose it).
    /// </summary>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(VectorStoreCollectionMetadata))
        {
            return _metadata;
        }

        if (serviceType == typeof(CollectionStore))
        {
            return _collections.Store;
        }

        if (serviceType == typeof(Collection))
        {
            return _collections.Find(Name);
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsCollections)
        {
            _collections.Dispose();
        }

        base.Dispose(disposing);
    }

    private static IEnumerable<TRecord> Sort(
        List<TRecord> records,
        IReadOnlyList<FilteredRecordRetrievalOptions<TRecord>.OrderByDefinition.SortInfo> sorts)
    {
        // Strings compare by ordinal so that the order does not depend on the current culture.
        var comparer = Comparer<object?>.Create((a, b) => a is string x && b is string y ? string.CompareOrdinal(x, y) : Comparer<object?>.Default.Compare(a, b));
        IOrderedEnumerable<TRecord>? ordered = null;
        foreach (var sort in sorts)
        {
            var key = sort.PropertySelector.Compile();
            ordered = (ordered, sort.Ascending) switch
            {
                (null, true) => records.OrderBy(key, comparer),
                (null, false) => records.OrderByDescending(key, comparer),
                (_, true) => ordered.ThenBy(key, comparer),
                _ => ordered.ThenByDescending(key, comparer),
            };
        }

        return ordered ?? (IEnumerable<TRecord>)records;
    }

    private void CheckVectorProperty(Expression<Func<TRecord, object?>>? selector)
    {
        if (selector is null)
        {
            return;
        }

        var body = selector.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : selector.Body;
        var name = body switch
        {
            MemberExpression member => member.Member.Name,
            MethodCallExpression { Method.Name: "get_Item", Arguments: [ConstantExpression { Value: string key }] } => key,
            _ => null,
        };
        if (name != _model.Vector.Name)
        {
            throw new ArgumentException(
                $"The search's VectorProperty '{selector}' is not the vector property of {typeof(TRecord).Name}, which is '{_model.Vector.Name}'.", nameof(selector));
        }
    }

    private TRecord ToRecord(string id, Point point, bool includeVectors) =>
        (TRecord)_model.ToRecord(id, point.Payload, includeVectors ? point.Vector : null, point.Text);

    private Collection Require()
    {
        var collection = _collections.Find(Name) ?? throw Error(
            $"Collection '{Name}' does not exist in {_collections.Store.Root}. Call EnsureCollectionExistsAsync first.", null, "Find");
        Check(collection);
        return collection;
    }

    private void Check(Collection collection)
    {
        if (collection.Dimensions != _model.Dimensions || collection.Space.Metric != _model.Distance.Metric)
        {
            throw Error(
                $"Collection '{Name}' holds {collection.Dimensions}-dimensional vectors compared by {collection.Space.Metric}, but {typeof(TRecord).Name} declares " +
                $"{_model.Dimensions} dimensions compared by {_model.Distance.Function}. Use another collection name, or match the record to the collection.",
                null,
                "Open");
        }
    }

    private VectorStoreException Error(string message, Exception? inner, string operation) =>
        new(message, inner)
        {
            VectorStoreSystemName = QuiverVectorStore.SystemName,
            VectorStoreName = _collections.Store.Root,
            CollectionName = Name,
            OperationName = operation,
        };

    // The store is synchronous (SQLite); the work runs on the thread pool so callers' threads never block on disk.
    // Store and data errors become VectorStoreException, with Quiver's message; misuse keeps its own exception type.
    private Task<T> Run<T>(string operation, Func<T> work, CancellationToken cancellationToken) => Task.Run(
        () =>
        {
            try
            {
                return work();
            }
            catch (Exception e) when (e is QuiverException or SqliteException or JsonException or IOException)
            {
                throw Error(e.Message, e, operation);
            }
        },
        cancellationToken);

    private Task Run(string operation, Action work, CancellationToken cancellationToken) =>
        Run(operation, () => { work(); return true; }, cancellationToken);
}
