using System.Globalization;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Store.Index.Hnsw;
using Quiver.Store.Index.Quantization;
using Quiver.Store.Search;

namespace Quiver.Store.Index;

/// <summary>
/// An in-memory vector index with no database around it: the HNSW graph that collections use, on its own. Vectors get
/// the ids 0, 1, 2, ... in the order they are added. Search top k (with a beam width ef), search within a set of
/// allowed ids, or scan exactly; save the graph to a file and load it back without rebuilding.
/// </summary>
/// <remarks>
/// Searches follow the collections' plan: an exact scan below <see cref="IndexOptions.ExactThreshold"/> points (set
/// it to 0 to always use the graph), the graph above it, and for a filter that allows few ids an exact scan of them.
/// With <see cref="IndexOptions.Quantization"/> the candidate pass runs on compressed codes and is rescored exactly.
/// For <see cref="DistanceMetric.Cosine"/> add and query unit-length vectors (<see cref="VectorMath.Normalize"/>).
/// Searches may run in parallel with each other, but not with adds.
/// </remarks>
public sealed class VectorIndex
{
    private readonly HnswGraph _graph;
    private QuantizedCodes? _codes;

    /// <summary>An empty index of <paramref name="dimensions"/>-long vectors compared by <paramref name="metric"/>.</summary>
    /// <exception cref="QuiverException">The dimensions are not positive or the options are out of range.</exception>
    public VectorIndex(int dimensions, DistanceMetric metric, IndexOptions? options = null)
        : this(NewGraph(dimensions, metric, options ?? IndexOptions.Default, capacity: 1024), options ?? IndexOptions.Default)
    {
    }

    private VectorIndex(HnswGraph graph, IndexOptions options)
    {
        _graph = graph;
        Options = options;
    }

    /// <summary>The length of every vector.</summary>
    public int Dimensions => _graph.Dimensions;

    /// <summary>How vectors are compared.</summary>
    public DistanceMetric Metric => _graph.Metric;

    /// <summary>The graph, threshold and quantisation settings.</summary>
    public IndexOptions Options { get; }

    /// <summary>How many vectors the index holds (the next id).</summary>
    public int Count => _graph.Count;

    /// <summary>Bytes held by the vectors, graph links and quantised codes.</summary>
    public long MemoryBytes => _graph.MemoryBytes + (_codes?.MemoryBytes ?? 0);

    /// <summary>Bytes of quantised code per vector (0 without quantisation, or before the codes are fitted).</summary>
    public double CodeBytesPerVector => _codes?.BytesPerVector ?? 0;

    private bool GraphReady => Options.Kind == IndexKind.Hnsw && _graph.Count >= Options.ExactThreshold && _graph.LinkedCount == _graph.Count;

    private bool CodesReady => _codes is { } codes && codes.Count == _graph.Count;

    /// <summary>
    /// Builds an index from <paramref name="rows"/> (vectors one after another, <paramref name="dimensions"/> floats
    /// each), linking them on <see cref="IndexOptions.BuildThreads"/> threads.
    /// </summary>
    /// <exception cref="QuiverException">The rows' length is not a multiple of the dimensions, or the settings are out of range.</exception>
    public static VectorIndex Build(
        ReadOnlySpan<float> rows, int dimensions, DistanceMetric metric, IndexOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= IndexOptions.Default;
        var index = new VectorIndex(NewGraph(dimensions, metric, options, Math.Max(rows.Length / Math.Max(dimensions, 1), 16)), options);
        index.AddRange(rows, cancellationToken);
        return index;
    }

    /// <summary>Adds one vector and links it into the graph; returns its id.</summary>
    /// <exception cref="QuiverException">The vector's length is not <see cref="Dimensions"/>.</exception>
    public int Add(ReadOnlySpan<float> vector)
    {
        CheckLength(vector.Length, "vector");
        var id = _graph.Append(vector);
        if (Options.Kind == IndexKind.Hnsw)
        {
            _graph.LinkPending(threads: 1);
        }

        FitCodes(vector);
        return id;
    }

    /// <summary>
    /// Adds many vectors (one after another, <see cref="Dimensions"/> floats each), linking them on
    /// <see cref="IndexOptions.BuildThreads"/> threads; returns the id of the first.
    /// </summary>
    /// <exception cref="QuiverException">The rows' length is not a multiple of <see cref="Dimensions"/>.</exception>
    public int AddRange(ReadOnlySpan<float> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Length % Dimensions != 0)
        {
            throw new QuiverException(
                $"{rows.Length} floats are not whole vectors of {Dimensions} dimensions: pass the vectors one after another, {Dimensions} floats each.");
        }

        var first = _graph.Count;
        var n = rows.Length / Dimensions;
        _graph.EnsureCapacity(first + n);
        for (var i = 0; i < n; i++)
        {
            _graph.Append(rows.Slice(i * Dimensions, Dimensions));
        }

        if (Options.Kind == IndexKind.Hnsw)
        {
            _graph.LinkPending(Options.BuildThreads, cancellationToken: cancellationToken);
        }

        FitCodes(rows);
        return first;
    }

    /// <summary>
    /// The <paramref name="k"/> closest vectors to <paramref name="query"/>, best first. <paramref name="ef"/> is the
    /// graph's beam width (higher finds more of the true neighbours, more slowly); the options' EfSearch when null.
    /// </summary>
    /// <exception cref="QuiverException">The query's length is not <see cref="Dimensions"/>, or k or ef is not positive.</exception>
    public IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, int? ef = null) => Search(query, k, ef, null, exact: false);

    /// <summary>
    /// The <paramref name="k"/> closest vectors to <paramref name="query"/> among <paramref name="allowed"/>, best
    /// first: a graph search that keeps allowed ids only (its beam widened by how few are allowed), or an exact scan
    /// of the allowed ids when they are few.
    /// </summary>
    /// <exception cref="QuiverException">The query's length is not <see cref="Dimensions"/>, or k or ef is not positive.</exception>
    public IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, int? ef, AllowedIds allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        return Search(query, k, ef, allowed, exact: false);
    }

    /// <summary>The true <paramref name="k"/> closest vectors (among <paramref name="allowed"/> when given), by scanning every full vector.</summary>
    /// <exception cref="QuiverException">The query's length is not <see cref="Dimensions"/>, or k is not positive.</exception>
    public IReadOnlyList<VectorHit> SearchExact(ReadOnlySpan<float> query, int k, AllowedIds? allowed = null) => Search(query, k, null, allowed, exact: true);

    /// <summary>
    /// Writes the vectors and the graph to <paramref name="path"/> (through a temporary file, then renamed, with a
    /// checksum), for <see cref="Load"/>. Quantised codes are not saved: loading fits them again.
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var ids = new string?[_graph.Count];
        for (var node = 0; node < ids.Length; node++)
        {
            ids[node] = node.ToString(CultureInfo.InvariantCulture);
        }

        IndexSnapshot.Write(path, _graph, ids, sequence: 0, default);
    }

    /// <summary>
    /// Loads an index written by <see cref="Save"/>. The dimensions, metric, M and efConstruction come from the file;
    /// the rest of <paramref name="options"/> (EfSearch, threshold, quantisation) applies to the loaded index.
    /// </summary>
    /// <exception cref="QuiverException">The file is missing, damaged, or not an index saved by <see cref="Save"/>.</exception>
    public static VectorIndex Load(string path, IndexOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new QuiverException($"There is no vector index file at {path}: save one with VectorIndex.Save first.");
        }

        var settings = IndexSnapshot.ReadSettings(path)
            ?? throw new QuiverException($"{path} is not a vector index file (it is too short or lacks the QHNS header): save the index again with VectorIndex.Save.");
        options ??= IndexOptions.Default;
        options = options with { Hnsw = options.Hnsw with { M = settings.M, EfConstruction = settings.EfConstruction } };
        var (read, problem) = IndexSnapshot.TryRead(path, default, settings.Dimensions, settings.Metric, options);
        if (read is null)
        {
            throw new QuiverException($"{path} cannot be loaded as a vector index: {problem}. Save the index again with VectorIndex.Save.");
        }

        // Ids are node numbers: a collection's snapshot (string ids, tombstones) is not a vector index.
        for (var node = 0; node < read.Ids.Count; node++)
        {
            if (read.Ids[node] != node.ToString(CultureInfo.InvariantCulture))
            {
                throw new QuiverException(
                    $"{path} holds node {node} with id '{read.Ids[node] ?? "(deleted)"}', so it is a collection's index snapshot, not a file written by VectorIndex.Save.");
            }
        }

        var index = new VectorIndex(read.Graph, options);
        if (options.Kind == IndexKind.Hnsw)
        {
            index._graph.LinkPending(options.BuildThreads);
        }

        index.FitCodes(ReadOnlySpan<float>.Empty);
        return index;
    }

    private static HnswGraph NewGraph(int dimensions, DistanceMetric metric, IndexOptions options, int capacity)
    {
        if (dimensions <= 0)
        {
            throw new QuiverException($"A vector index needs at least one dimension, not {dimensions}.");
        }

        ArgumentNullException.ThrowIfNull(options);
        return new HnswGraph(dimensions, metric, options.Hnsw, capacity);
    }

    private IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, int? ef, AllowedIds? allowed, bool exact)
    {
        CheckLength(query.Length, "query");
        if (k <= 0 || ef <= 0)
        {
            throw new QuiverException($"A search needs k and ef of 1 or more, not k={k} and ef={ef}.");
        }

        var nodes = allowed?.Nodes;
        var plan = SearchPlan.Choose(_graph.Count, GraphReady, CodesReady, nodes?.Count, k, ef, exact, Options);
        return NodeSearch.Run(_graph, _codes, Options.Oversampling, query, k, plan, nodes);
    }

    private void CheckLength(int length, string what)
    {
        if (length != Dimensions)
        {
            throw new QuiverException($"The {what} has {length} dimensions but this index holds {Dimensions}: pass vectors of {Dimensions} floats.");
        }
    }

    // Codes cover every node once the index reaches the exact threshold (below it searches scan the full vectors).
    private void FitCodes(ReadOnlySpan<float> added)
    {
        if (Options.Quantization == QuantizationKind.None || _graph.Count < Options.ExactThreshold || _graph.Count == 0)
        {
            return;
        }

        if (_codes is null || _codes.Count + (added.Length / Dimensions) != _graph.Count)
        {
            _codes = QuantizedCodes.Fit(Options.Quantization, _graph);
            return;
        }

        for (var start = 0; start < added.Length; start += Dimensions)
        {
            _codes.Append(added.Slice(start, Dimensions));
        }
    }
}
