using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;

namespace Quiver.Models.Caching;

/// <summary>
/// Remembers the embeddings an inner generator has produced, keyed by the embedding space, the request options that
/// may change the output (Dimensions, ModelId, AdditionalProperties) and the exact input text, in memory and
/// optionally in a SQLite file. A batch asks the inner generator once, for the distinct inputs it has not seen.
/// Hits carry AdditionalProperties["cached"] = true and cost no usage; misses come back as the inner generator gave
/// them. Safe to call from many threads at once.
/// </summary>
public sealed class CachingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly MemoryEmbeddingStore _memory;
    private readonly DiskEmbeddingStore? _disk;
    private readonly KeyValuePair<string, object?> _modelTag;
    private long _hits;
    private long _misses;
    private long _diskErrors;
    private int _disposed;

    /// <summary>A cache over <paramref name="innerGenerator"/>, in the space it reports through GetService.</summary>
    public CachingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, EmbeddingCacheOptions? options = null)
        : this(innerGenerator, SpaceOf(innerGenerator), options)
    {
    }

    /// <summary>A cache over <paramref name="innerGenerator"/>, which produces vectors of <paramref name="space"/>.</summary>
    public CachingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, EmbeddingSpace space, EmbeddingCacheOptions? options = null)
        : base(innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(space);
        options ??= new EmbeddingCacheOptions();
        if (options.MaxEntries < 0)
        {
            throw new QuiverException($"MaxEntries is {options.MaxEntries}; give 0 or more (0 keeps nothing in memory).");
        }

        // A cache keyed by the wrong space would answer one model's requests with another model's vectors.
        if (innerGenerator.GetService<EmbeddingSpace>() is { } reported && reported != space)
        {
            throw new ArgumentException(
                $"The inner generator produces {reported} (revision {reported.Revision}), not {space} (revision {space.Revision}). " +
                "Pass the inner generator's own space, or leave it out to take the one it reports.",
                nameof(space));
        }

        Space = space;
        Options = options;
        _memory = new MemoryEmbeddingStore(options.MaxEntries);
        _disk = options.DiskPath is { } path ? new DiskEmbeddingStore(path) : null;
        _modelTag = new(EmbeddingCacheMetrics.ModelTag, space.ModelId);
    }

    public EmbeddingSpace Space { get; }

    public EmbeddingCacheOptions Options { get; }

    /// <summary>Inputs answered without the inner generator: from memory, from disk, or as a repeat within a batch.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Distinct inputs of a batch that the inner generator embedded.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Disk store reads or writes that failed; each was skipped, the call itself went on.</summary>
    public long DiskErrors => Interlocked.Read(ref _diskErrors);

    /// <summary>How many embeddings the memory layer holds now.</summary>
    internal int MemoryCount => _memory.Count;

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();

        var inputs = values as IReadOnlyList<string> ?? [.. values];
        var dimensions = options?.Dimensions ?? Space.Dimensions;
        var scope = EmbeddingCacheKey.Scope(Space, options);
        var keys = new EmbeddingCacheKey[inputs.Count];
        var found = new CachedEmbedding?[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i] ?? throw new ArgumentException($"Input {i} of the batch is null; give every input a string.", nameof(values));
            keys[i] = EmbeddingCacheKey.Of(scope, input);
            if (_memory.TryGet(keys[i], out var hit))
            {
                found[i] = hit;
            }
        }

        if (_disk is not null)
        {
            ReadDisk(keys, found, dimensions, cancellationToken);
        }

        // Each distinct missing key, in the order of its first input, maps to its place in the inner request.
        var missIndex = new Dictionary<EmbeddingCacheKey, int>();
        var missInputs = new List<string>();
        for (var i = 0; i < inputs.Count; i++)
        {
            if (found[i] is null && missIndex.TryAdd(keys[i], missInputs.Count))
            {
                missInputs.Add(inputs[i]);
            }
        }

        GeneratedEmbeddings<Embedding<float>>? generated = null;
        var computed = new CachedEmbedding[missInputs.Count];
        if (missInputs.Count > 0)
        {
            generated = await InnerGenerator.GenerateAsync(missInputs, options, cancellationToken).ConfigureAwait(false);
            Store(generated, missIndex, computed, dimensions, options);
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        var returned = new bool[missInputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            if (found[i] is { } hit)
            {
                result.Add(hit.ToEmbedding());
                continue;
            }

            // The first input of a missing key gets the inner generator's own embedding; its repeats are hits.
            var j = missIndex[keys[i]];
            result.Add(returned[j] ? computed[j].ToEmbedding() : generated![j]);
            returned[j] = true;
        }

        result.Usage = generated is null ? new UsageDetails { InputTokenCount = 0, TotalTokenCount = 0 } : generated.Usage;
        result.AdditionalProperties = generated?.AdditionalProperties;
        Count(inputs.Count - missInputs.Count, missInputs.Count);
        return result;
    }

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(EmbeddingSpace) ? Space : base.GetService(serviceType, serviceKey);
    }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0 || !disposing)
        {
            return;
        }

        _disk?.Dispose();
        if (Options.DisposeInnerGenerator)
        {
            base.Dispose(disposing);
        }
    }

    private static EmbeddingSpace SpaceOf(IEmbeddingGenerator<string, Embedding<float>> innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(innerGenerator);
        return innerGenerator.GetService<EmbeddingSpace>() ?? throw new ArgumentException(
            $"{innerGenerator.GetType().Name} does not say which embedding space it produces (GetService(typeof(EmbeddingSpace)) gave null). " +
            "Pass the space to the constructor.",
            nameof(innerGenerator));
    }

    private void ReadDisk(EmbeddingCacheKey[] keys, CachedEmbedding?[] found, int dimensions, CancellationToken cancellationToken)
    {
        var wanted = new HashSet<EmbeddingCacheKey>();
        for (var i = 0; i < keys.Length; i++)
        {
            if (found[i] is null)
            {
                wanted.Add(keys[i]);
            }
        }

        if (wanted.Count == 0)
        {
            return;
        }

        Dictionary<EmbeddingCacheKey, CachedEmbedding> stored;
        try
        {
            stored = _disk!.Read(wanted, dimensions, cancellationToken);
        }
        catch (SqliteException)
        {
            // An unreadable store costs recomputation, never the call.
            CountDiskError();
            return;
        }

        foreach (var (key, embedding) in stored)
        {
            _memory.Set(key, embedding);
        }

        for (var i = 0; i < keys.Length; i++)
        {
            if (found[i] is null && stored.TryGetValue(keys[i], out var embedding))
            {
                found[i] = embedding;
            }
        }
    }

    private void Store(
        GeneratedEmbeddings<Embedding<float>> generated, Dictionary<EmbeddingCacheKey, int> missIndex, CachedEmbedding[] computed,
        int dimensions, EmbeddingGenerationOptions? options)
    {
        if (generated.Count != computed.Length)
        {
            throw new InvalidOperationException(
                $"{InnerGenerator.GetType().Name} returned {generated.Count} embeddings for {computed.Length} inputs; a generator must give one per input.");
        }

        for (var j = 0; j < computed.Length; j++)
        {
            if (generated[j].Vector.Length != dimensions)
            {
                throw new InvalidOperationException(
                    $"{InnerGenerator.GetType().Name} returned a {generated[j].Vector.Length}-dimensional vector where {Space}" +
                    $"{(options?.Dimensions is { } requested ? $" asked for {requested} dimensions" : string.Empty)} calls for {dimensions}. " +
                    "Give the cache the space the inner generator really produces.");
            }

            computed[j] = CachedEmbedding.From(generated[j]);
        }

        var entries = new (EmbeddingCacheKey Key, CachedEmbedding Value)[computed.Length];
        foreach (var (key, j) in missIndex)
        {
            entries[j] = (key, computed[j]);
            _memory.Set(key, computed[j]);
        }

        if (_disk is null)
        {
            return;
        }

        try
        {
            _disk.Write(entries);
        }
        catch (SqliteException)
        {
            // The vectors are computed and in memory; a full or read-only disk must not fail the call.
            CountDiskError();
        }
    }

    private void Count(int hits, int misses)
    {
        if (hits > 0)
        {
            Interlocked.Add(ref _hits, hits);
            EmbeddingCacheMetrics.Hits.Add(hits, _modelTag);
        }

        if (misses > 0)
        {
            Interlocked.Add(ref _misses, misses);
            EmbeddingCacheMetrics.Misses.Add(misses, _modelTag);
        }
    }

    private void CountDiskError()
    {
        Interlocked.Increment(ref _diskErrors);
        EmbeddingCacheMetrics.DiskErrors.Add(1, _modelTag);
    }
}
