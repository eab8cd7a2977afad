using Quiver.Core;
using Quiver.Training.Corpus;

namespace Quiver.Training.Graphs;

/// <summary>
/// node2vec's biased random walks over a graph, as a corpus of sentences (node names), so Word2Vec trains on them.
/// The first step follows edge weights; later steps from v (having come from t) weigh each neighbour x of v by
/// w(v, x)/p when x = t, w(v, x) when x is also a neighbour of t, and w(v, x)/q otherwise, drawn from alias tables
/// precomputed per edge (memory grows with Σ degree² over edges; p = q = 1 needs none).
/// </summary>
public sealed class RandomWalks : ISentenceCorpus
{
    private readonly Graph _graph;
    private readonly Node2VecOptions _options;
    private readonly AliasTable[] _nodeTables;
    private readonly AliasTable[]? _edgeTables;

    public RandomWalks(Graph graph, Node2VecOptions options)
    {
        options.Validate();
        _graph = graph;
        _options = options;
        _nodeTables = new AliasTable[graph.NodeCount];
        for (var v = 0; v < graph.NodeCount; v++)
        {
            _nodeTables[v] = new AliasTable(graph.NeighbourWeights(v));
        }

        if (!options.IsDeepWalk)
        {
            _edgeTables = new AliasTable[graph.EdgeCount];
            for (var t = 0; t < graph.NodeCount; t++)
            {
                var neighbours = graph.Neighbours(t);
                for (var k = 0; k < neighbours.Length; k++)
                {
                    _edgeTables[graph.Offsets[t] + k] = new AliasTable(TransitionWeights(t, neighbours[k]));
                }
            }
        }
    }

    /// <summary>The unnormalised weights of stepping from <paramref name="current"/> to each of its neighbours, having come from <paramref name="previous"/>.</summary>
    public float[] TransitionWeights(int previous, int current)
    {
        var neighbours = _graph.Neighbours(current);
        var weights = _graph.NeighbourWeights(current);
        var result = new float[neighbours.Length];
        for (var i = 0; i < neighbours.Length; i++)
        {
            var x = neighbours[i];
            var bias = x == previous ? 1 / _options.P : _graph.HasEdge(previous, x) ? 1 : 1 / _options.Q;
            result[i] = (float)(weights[i] * bias);
        }

        return result;
    }

    /// <summary>One walk (node ids), determined by the seed, the round and the start node alone.</summary>
    public int Walk(int start, int round, Span<int> into)
    {
        var rng = new SplitMix(_options.Seed ^ ((ulong)round * 0x9E3779B97F4A7C15UL) ^ ((ulong)start * 0xC2B2AE3D27D4EB4FUL));
        var length = Math.Min(_options.WalkLength, into.Length);
        into[0] = start;
        var n = 1;
        while (n < length)
        {
            var current = into[n - 1];
            var neighbours = _graph.Neighbours(current);
            if (neighbours.Length == 0)
            {
                break;
            }

            int next;
            if (n == 1 || _edgeTables is null)
            {
                next = neighbours[_nodeTables[current].Sample(rng.NextDouble(), rng.NextDouble())];
            }
            else
            {
                var previous = into[n - 2];
                var edge = _graph.Offsets[previous] + _graph.Neighbours(previous).BinarySearch(current);
                next = neighbours[_edgeTables[edge].Sample(rng.NextDouble(), rng.NextDouble())];
            }

            into[n++] = next;
        }

        return n;
    }

    public IEnumerable<IReadOnlyList<string>> Read(int part, int parts, CancellationToken cancellationToken = default)
    {
        var sentence = new List<string>(_options.WalkLength);
        foreach (var (walk, length) in Walks(part, parts, cancellationToken))
        {
            sentence.Clear();
            for (var i = 0; i < length; i++)
            {
                sentence.Add(_graph.Nodes[walk[i]]);
            }

            yield return sentence;
        }
    }

    public IEnumerable<ArraySegment<int>> ReadIds(int part, int parts, ITokenLookup lookup, CancellationToken cancellationToken = default)
    {
        var ids = _graph.Nodes.Select(n => lookup.IdOf(n.AsSpan())).ToArray();
        var sentence = new int[_options.WalkLength];
        foreach (var (walk, length) in Walks(part, parts, cancellationToken))
        {
            var n = 0;
            for (var i = 0; i < length; i++)
            {
                if (ids[walk[i]] >= 0)
                {
                    sentence[n++] = ids[walk[i]];
                }
            }

            yield return new ArraySegment<int>(sentence, 0, n);
        }
    }

    /// <summary>Each round visits every start node once in a shuffled order; a part takes its slice of each round.</summary>
    private IEnumerable<(int[] Walk, int Length)> Walks(int part, int parts, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, parts);
        var walk = new int[_options.WalkLength];
        var count = _graph.NodeCount;
        var order = new int[count];
        for (var round = 0; round < _options.WalksPerNode; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < count; i++)
            {
                order[i] = i;
            }

            var shuffle = new SplitMix(_options.Seed + (ulong)round);
            for (var i = count - 1; i > 0; i--)
            {
                var j = (int)(shuffle.Next() % (ulong)(i + 1));
                (order[i], order[j]) = (order[j], order[i]);
            }

            for (var i = count * part / parts; i < count * (part + 1) / parts; i++)
            {
                yield return (walk, Walk(order[i], round, walk));
            }
        }
    }
}
