using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Quiver.Core.Distances;
using Quiver.Store.Index.Quantization;

namespace Quiver.Store.Index.Hnsw;

/// <summary>
/// A hierarchical navigable small world graph (Malkov and Yashunin, 2016) over vectors numbered 0..Count-1.
/// Deleted nodes stay in the graph as tombstones (they still route searches) until the index is compacted.
/// Inserts may run in parallel with each other (per-node locks guard the link lists); searches run in parallel with
/// each other but not with inserts; the owner serialises the two with a reader-writer lock.
/// </summary>
internal sealed partial class HnswGraph
{
    private const int LockStripes = 1 << 12;

    private readonly int _m;
    private readonly int _m0;
    private readonly int _efConstruction;
    private readonly double _levelMultiplier;
    private readonly Lock[] _locks = Enumerable.Range(0, LockStripes).Select(_ => new Lock()).ToArray();
    private readonly Lock _entryGate = new();
    private readonly Random _random;

    private float[] _vectors;
    private int[] _links0;
    private int[]?[] _upper;
    private byte[] _levels;
    private bool[] _deleted;
    private int _count;
    private int _entry = -1;
    private int _maxLevel = -1;

    [ThreadStatic]
    private static SearchScratch? t_scratch;

    public HnswGraph(int dimensions, DistanceMetric metric, HnswParameters parameters, int capacity = 1024, int seed = 100)
    {
        parameters.Validate();
        Dimensions = dimensions;
        Metric = metric;
        Parameters = parameters;
        _m = parameters.M;
        _m0 = 2 * parameters.M;
        _efConstruction = parameters.EfConstruction;
        _levelMultiplier = 1 / Math.Log(parameters.M);
        _random = new Random(seed);
        capacity = Math.Max(capacity, 16);
        _vectors = GC.AllocateUninitializedArray<float>(capacity * dimensions, pinned: true);
        _links0 = new int[(long)capacity * (_m0 + 1)];
        _upper = new int[]?[capacity];
        _levels = new byte[capacity];
        _deleted = new bool[capacity];
    }

    public int Dimensions { get; }

    public DistanceMetric Metric { get; }

    public HnswParameters Parameters { get; }

    /// <summary>Nodes ever added, tombstones included.</summary>
    public int Count => _count;

    public int DeletedCount { get; private set; }

    public int EntryPoint => _entry;

    public int MaxLevel => _maxLevel;

    public int Capacity => _levels.Length;

    public ReadOnlySpan<float> Vector(int node) => _vectors.AsSpan(node * Dimensions, Dimensions);

    public bool IsDeleted(int node) => _deleted[node];

    /// <summary>Bytes held by vectors and links (for inspect).</summary>
    public long MemoryBytes =>
        ((long)_vectors.Length * sizeof(float)) + ((long)_links0.Length * sizeof(int)) + _levels.Length + _deleted.Length +
        _upper.Sum(u => (long)(u?.Length ?? 0) * sizeof(int)) + ((long)_upper.Length * IntPtr.Size);

    /// <summary>Distance in the graph's own terms (lower is closer): 1 − dot for cosine (unit rows), −dot, or squared L2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Metric switch
    {
        DistanceMetric.Cosine => 1 - Kernels.Dot(a, b),
        DistanceMetric.Dot => -Kernels.Dot(a, b),
        _ => Kernels.SquaredL2(a, b),
    };

    /// <summary>Converts a graph distance to the metric's score (cosine or dot similarity, Euclidean distance).</summary>
    public float Score(float distance) => Metric switch
    {
        DistanceMetric.Cosine => 1 - distance,
        DistanceMetric.Dot => -distance,
        _ => MathF.Sqrt(Math.Max(distance, 0)),
    };

    public void EnsureCapacity(int capacity)
    {
        if (capacity <= Capacity)
        {
            return;
        }

        var size = Math.Max(capacity, Capacity * 2);

        // Vectors live on the pinned heap so searches can prefetch them by address.
        var vectors = GC.AllocateUninitializedArray<float>(size * Dimensions, pinned: true);
        _vectors.AsSpan(0, _count * Dimensions).CopyTo(vectors);
        _vectors = vectors;
        Array.Resize(ref _links0, size * (_m0 + 1));
        Array.Resize(ref _upper, size);
        Array.Resize(ref _levels, size);
        Array.Resize(ref _deleted, size);
    }

    /// <summary>Nodes [0, LinkedCount) are in the graph; later ones are stored but not yet linked.</summary>
    public int LinkedCount { get; private set; }

    /// <summary>Adds many vectors, linking them on <paramref name="threads"/> threads; returns the first node number.</summary>
    public int AddRange(ReadOnlySpan<float> rows, int threads, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var n = rows.Length / Dimensions;
        EnsureCapacity(_count + n);
        var first = _count;
        for (var i = 0; i < n; i++)
        {
            Append(rows.Slice(i * Dimensions, Dimensions));
        }

        LinkPending(threads, progress, cancellationToken);
        return first;
    }

    /// <summary>Stores a vector as a new node without linking it (exact search still sees it).</summary>
    public int Append(ReadOnlySpan<float> vector) => Reserve(vector, RandomLevel());

    /// <summary>Links every stored but unlinked node into the graph, on <paramref name="threads"/> threads.</summary>
    public void LinkPending(int threads, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var first = LinkedCount;
        var end = _count;
        if (first == end)
        {
            return;
        }

        if (threads <= 1 || end - first < 1000)
        {
            for (var node = first; node < end; node++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Link(node, concurrent: false);
            }
        }
        else
        {
            var done = 0;
            var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
            Parallel.For(first, end, options, node =>
            {
                Link(node, concurrent: true);
                var d = Interlocked.Increment(ref done);
                if (d % 10_000 == 0)
                {
                    progress?.Report(d);
                }
            });
        }

        LinkedCount = end;
        RepairAfterLinking(end - first);
    }

    public void MarkDeleted(int node)
    {
        if (!_deleted[node])
        {
            _deleted[node] = true;
            DeletedCount++;
        }
    }

    /// <summary>
    /// The k nearest live nodes to <paramref name="query"/> (already normalised for cosine), closest first, as
    /// (node, graph distance). <paramref name="allowed"/>, when given, limits the results (not the route).
    /// </summary>
    public List<(int Node, float Distance)> Search(ReadOnlySpan<float> query, int k, int ef, NodeSet? allowed)
    {
        var results = new List<(int, float)>(k);
        if (_entry < 0)
        {
            return results;
        }

        var scratch = t_scratch ??= new SearchScratch();
        var entry = _entry;
        var entryDistance = Distance(query, Vector(entry));
        for (var level = _maxLevel; level > 0; level--)
        {
            (entry, entryDistance) = Greedy(query, entry, entryDistance, level, concurrent: false);
        }

        var top = SearchLayer(query, entry, entryDistance, Math.Max(ef, k), 0, allowed, scratch, concurrent: false);
        while (top.Count > k)
        {
            top.Pop();
        }

        var count = top.Count;
        for (var i = 0; i < count; i++)
        {
            var (d, node) = top.Pop();
            results.Add((node, d));
        }

        results.Reverse();
        return results;
    }

    /// <summary>
    /// The <paramref name="ef"/> best live candidates found by traversing the graph with approximate distances from
    /// compressed codes, closest first (to be rescored exactly by the caller). Same walk as <see cref="Search"/>; only
    /// the distance differs.
    /// </summary>
    public List<(int Node, float Distance)> SearchByCodes(QuantizedCodes.CodeScorer scorer, int ef, NodeSet? allowed)
    {
        var results = new List<(int, float)>(ef);
        if (_entry < 0)
        {
            return results;
        }

        var entry = _entry;
        var entryDistance = scorer.Distance(entry);
        for (var level = _maxLevel; level > 0; level--)
        {
            var changed = true;
            while (changed)
            {
                changed = false;
                foreach (var candidate in Links(entry, level))
                {
                    var d = scorer.Distance(candidate);
                    if (d < entryDistance)
                    {
                        (entry, entryDistance, changed) = (candidate, d, true);
                    }
                }
            }
        }

        var scratch = t_scratch ??= new SearchScratch();
        var visited = scratch.Visited;
        visited.Reset(Capacity);
        var top = scratch.Top;
        var frontier = scratch.Frontier;
        top.Clear();
        frontier.Clear();
        visited.Visit(entry);
        var bound = float.MaxValue;
        if (Accept(entry, allowed, includeDeleted: false))
        {
            top.Push(entryDistance, entry);
            bound = entryDistance;
        }

        frontier.Push(entryDistance, entry);
        while (frontier.Count > 0)
        {
            var (distance, current) = frontier.Pop();
            if (distance > bound && top.Count >= ef)
            {
                break;
            }

            foreach (var neighbor in Links(current, 0))
            {
                if (!visited.Visit(neighbor))
                {
                    continue;
                }

                var d = scorer.Distance(neighbor);
                if (top.Count < ef || d < bound)
                {
                    frontier.Push(d, neighbor);
                    if (Accept(neighbor, allowed, includeDeleted: false))
                    {
                        top.Push(d, neighbor);
                        if (top.Count > ef)
                        {
                            top.Pop();
                        }
                    }

                    if (top.Count > 0)
                    {
                        bound = top.TopKey;
                    }
                }
            }
        }

        while (top.Count > 0)
        {
            var (d, node) = top.Pop();
            results.Add((node, d));
        }

        results.Reverse();
        return results;
    }

    /// <summary>The links of a node at a level (for snapshots and tests).</summary>
    public ReadOnlySpan<int> Links(int node, int level)
    {
        if (level == 0)
        {
            var offset = node * (_m0 + 1);
            return _links0.AsSpan(offset + 1, _links0[offset]);
        }

        var upper = _upper[node]!;
        var at = (level - 1) * (_m + 1);
        return upper.AsSpan(at + 1, upper[at]);
    }

    public int LevelOf(int node) => _levels[node];

    /// <summary>Restores a node exactly as a snapshot recorded it (vector, level, links, tombstone).</summary>
    public void Restore(ReadOnlySpan<float> vector, int level, bool deleted, Func<int, int[]> links)
    {
        EnsureCapacity(_count + 1);
        var node = _count++;
        vector.CopyTo(_vectors.AsSpan(node * Dimensions, Dimensions));
        _levels[node] = (byte)level;
        _deleted[node] = deleted;
        DeletedCount += deleted ? 1 : 0;
        _upper[node] = level > 0 ? new int[level * (_m + 1)] : null;
        for (var l = 0; l <= level; l++)
        {
            SetLinks(node, l, links(l));
        }
    }

    /// <summary>Sets what a snapshot recorded of the graph as a whole: linked prefix, entry point, top level.</summary>
    public void RestoreLinked(int linkedCount, int entry, int maxLevel)
    {
        LinkedCount = linkedCount;
        _entry = entry;
        _maxLevel = maxLevel;
    }

    private int RandomLevel()
    {
        var level = (int)(-Math.Log(1 - _random.NextDouble()) * _levelMultiplier);
        return Math.Min(level, 32);
    }

    private int Reserve(ReadOnlySpan<float> vector, int level)
    {
        EnsureCapacity(_count + 1);
        var node = _count++;
        vector.CopyTo(_vectors.AsSpan(node * Dimensions, Dimensions));
        _levels[node] = (byte)level;
        _deleted[node] = false;
        _links0[node * (_m0 + 1)] = 0;
        _upper[node] = level > 0 ? new int[level * (_m + 1)] : null;
        return node;
    }

    private void Link(int node, bool concurrent)
    {
        var level = _levels[node];
        int entry, maxLevel;
        var holdsEntry = false;
        lock (_entryGate)
        {
            entry = _entry;
            maxLevel = _maxLevel;
            if (entry < 0)
            {
                _entry = node;
                _maxLevel = level;
                return;
            }
        }

        // A node that will raise the top level keeps the entry gate for its whole insertion, as hnswlib does.
        if (level > maxLevel)
        {
            _entryGate.Enter();
            holdsEntry = true;
            entry = _entry;
            maxLevel = _maxLevel;
        }

        try
        {
            var query = Vector(node);
            var entryDistance = Distance(query, Vector(entry));
            for (var l = maxLevel; l > level; l--)
            {
                (entry, entryDistance) = Greedy(query, entry, entryDistance, l, concurrent);
            }

            var scratch = t_scratch ??= new SearchScratch();
            for (var l = Math.Min(level, maxLevel); l >= 0; l--)
            {
                var top = SearchLayer(query, entry, entryDistance, _efConstruction, l, null, scratch, concurrent, includeDeleted: true);
                var candidates = scratch.Candidates;
                candidates.Clear();
                while (top.Count > 0)
                {
                    candidates.Add(top.Pop());
                }

                candidates.Reverse();
                (entryDistance, entry) = candidates[0];
                var chosen = SelectNeighbors(candidates, _m, scratch.Kept);
                SetLinksLocked(node, l, chosen, concurrent);
                foreach (var neighbor in chosen)
                {
                    Connect(neighbor, node, l, concurrent, scratch);
                }
            }

            if (level > maxLevel)
            {
                _entry = node;
                _maxLevel = level;
            }
        }
        finally
        {
            if (holdsEntry)
            {
                _entryGate.Exit();
            }
        }
    }

    // Adds `node` to `neighbor`'s links at `level`, pruning with the heuristic when the list is full.
    private void Connect(int neighbor, int node, int level, bool concurrent, SearchScratch scratch)
    {
        var max = level == 0 ? _m0 : _m;
        var gate = concurrent ? _locks[neighbor & (LockStripes - 1)] : null;
        gate?.Enter();
        try
        {
            var (array, offset) = LinkList(neighbor, level);
            var count = array[offset];
            for (var i = 1; i <= count; i++)
            {
                if (array[offset + i] == node)
                {
                    return;
                }
            }

            if (count < max)
            {
                array[offset + 1 + count] = node;
                array[offset] = count + 1;
                return;
            }

            var origin = Vector(neighbor);
            var candidates = scratch.Pruning;
            candidates.Clear();
            candidates.Add((Distance(origin, Vector(node)), node));
            for (var i = 1; i <= count; i++)
            {
                var other = array[offset + i];
                candidates.Add((Distance(origin, Vector(other)), other));
            }

            candidates.Sort(static (a, b) => a.Distance.CompareTo(b.Distance));
            var kept = SelectNeighbors(candidates, max, scratch.Pruned);
            array[offset] = kept.Count;
            for (var i = 0; i < kept.Count; i++)
            {
                array[offset + 1 + i] = kept[i];
            }
        }
        finally
        {
            gate?.Exit();
        }
    }

    // hnswlib's heuristic: keep a candidate only if it is closer to the origin than to every neighbour kept so far.
    // Candidates arrive sorted by distance to the origin.
    private List<int> SelectNeighbors(List<(float Distance, int Node)> candidates, int max, List<int> kept)
    {
        kept.Clear();
        foreach (var (distance, candidate) in candidates)
        {
            if (kept.Count >= max)
            {
                break;
            }

            var good = true;
            var v = Vector(candidate);
            foreach (var other in kept)
            {
                if (Distance(v, Vector(other)) < distance)
                {
                    good = false;
                    break;
                }
            }

            if (good)
            {
                kept.Add(candidate);
            }
        }

        return kept;
    }

    private (int Node, float Distance) Greedy(ReadOnlySpan<float> query, int entry, float entryDistance, int level, bool concurrent)
    {
        var changed = true;
        Span<int> buffer = stackalloc int[_m + 1];
        while (changed)
        {
            changed = false;
            var links = ReadLinks(entry, level, buffer, concurrent);
            foreach (var candidate in links)
            {
                var d = Distance(query, Vector(candidate));
                if (d < entryDistance)
                {
                    entryDistance = d;
                    entry = candidate;
                    changed = true;
                }
            }
        }

        return (entry, entryDistance);
    }

    private DistanceHeap<FarthestFirst> SearchLayer(
        ReadOnlySpan<float> query, int entry, float entryDistance, int ef, int level, NodeSet? allowed, SearchScratch scratch, bool concurrent, bool includeDeleted = false) =>
        Metric switch
        {
            DistanceMetric.Cosine => SearchLayer<CosineGraphDistance>(query, entry, entryDistance, ef, level, allowed, scratch, concurrent, includeDeleted),
            DistanceMetric.Dot => SearchLayer<DotGraphDistance>(query, entry, entryDistance, ef, level, allowed, scratch, concurrent, includeDeleted),
            _ => SearchLayer<SquaredL2GraphDistance>(query, entry, entryDistance, ef, level, allowed, scratch, concurrent, includeDeleted),
        };

    private DistanceHeap<FarthestFirst> SearchLayer<TDistance>(
        ReadOnlySpan<float> query, int entry, float entryDistance, int ef, int level, NodeSet? allowed, SearchScratch scratch, bool concurrent, bool includeDeleted)
        where TDistance : struct, IGraphDistance
    {
        // With no filter and no tombstones every node is a result; skip the per-node checks.
        var acceptAll = allowed is null && (includeDeleted || DeletedCount == 0);
        var visited = scratch.Visited;
        visited.Reset(Capacity);
        var top = scratch.Top;
        var candidates = scratch.Frontier;
        top.Clear();
        candidates.Clear();
        visited.Visit(entry);
        var bound = float.MaxValue;
        if (Accept(entry, allowed, includeDeleted))
        {
            top.Push(entryDistance, entry);
            bound = entryDistance;
        }

        candidates.Push(entryDistance, entry);
        Span<int> buffer = stackalloc int[_m0 + 1];
        while (candidates.Count > 0)
        {
            var (distance, current) = candidates.Pop();
            if (distance > bound && top.Count >= ef)
            {
                break;
            }

            var links = ReadLinks(current, level, buffer, concurrent);
            Prefetch(links);
            foreach (var neighbor in links)
            {
                if (!visited.Visit(neighbor))
                {
                    continue;
                }

                var d = TDistance.Between(query, Vector(neighbor));
                if (top.Count < ef || d < bound)
                {
                    candidates.Push(d, neighbor);
                    if (acceptAll || Accept(neighbor, allowed, includeDeleted))
                    {
                        top.Push(d, neighbor);
                        if (top.Count > ef)
                        {
                            top.Pop();
                        }
                    }

                    if (top.Count > 0)
                    {
                        bound = top.TopKey;
                    }
                }
            }
        }

        return top;
    }

    // Memory latency dominates graph search: ask for the neighbours' vectors (up to four cache lines each) before
    // computing any distance, as hnswlib does.
    internal unsafe void Prefetch(ReadOnlySpan<int> nodes)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        var rowBytes = Dimensions * sizeof(float);
        var lines = Math.Min((rowBytes + 63) / 64, 4);
        var origin = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_vectors));
        foreach (var node in nodes)
        {
            var row = origin + ((long)node * rowBytes);
            for (var line = 0; line < lines; line++)
            {
                Sse.Prefetch0(row + (line * 64));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Accept(int node, NodeSet? allowed, bool includeDeleted) =>
        (includeDeleted || !_deleted[node]) && (allowed is null || allowed.Contains(node));

    private ReadOnlySpan<int> ReadLinks(int node, int level, Span<int> buffer, bool concurrent)
    {
        var (array, offset) = LinkList(node, level);
        if (!concurrent)
        {
            return array.AsSpan(offset + 1, array[offset]);
        }

        lock (_locks[node & (LockStripes - 1)])
        {
            var count = array[offset];
            array.AsSpan(offset + 1, count).CopyTo(buffer);
            return buffer[..count];
        }
    }

    private (int[] Array, int Offset) LinkList(int node, int level) =>
        level == 0 ? (_links0, node * (_m0 + 1)) : (_upper[node]!, (level - 1) * (_m + 1));

    private void SetLinksLocked(int node, int level, List<int> links, bool concurrent)
    {
        var gate = concurrent ? _locks[node & (LockStripes - 1)] : null;
        gate?.Enter();
        try
        {
            var (array, offset) = LinkList(node, level);
            array[offset] = links.Count;
            for (var i = 0; i < links.Count; i++)
            {
                array[offset + 1 + i] = links[i];
            }
        }
        finally
        {
            gate?.Exit();
        }
    }

    private void SetLinks(int node, int level, int[] links)
    {
        var (array, offset) = LinkList(node, level);
        array[offset] = links.Length;
        links.CopyTo(array, offset + 1);
    }

    private sealed class SearchScratch
    {
        public VisitedSet Visited { get; } = new();

        public DistanceHeap<FarthestFirst> Top { get; } = new(256);

        public DistanceHeap<NearestFirst> Frontier { get; } = new(256);

        public List<(float Distance, int Node)> Candidates { get; } = new(256);

        public List<(float Distance, int Node)> Pruning { get; } = new(64);

        public List<int> Kept { get; } = new(64);

        public List<int> Pruned { get; } = new(64);
    }
}
