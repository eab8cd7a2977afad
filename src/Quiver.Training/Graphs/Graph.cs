using System.Globalization;
using Quiver.Core;

namespace Quiver.Training.Graphs;

/// <summary>
/// A weighted graph in compressed sparse rows: node i's neighbours are <see cref="Targets"/>[Offsets[i]..Offsets[i+1]),
/// sorted by node id, with their edge weights. An undirected graph holds each edge in both directions.
/// </summary>
public sealed class Graph
{
    private Graph(IReadOnlyList<string> nodes, int[] offsets, int[] targets, float[] weights, bool directed)
    {
        Nodes = nodes;
        Offsets = offsets;
        Targets = targets;
        Weights = weights;
        Directed = directed;
    }

    public IReadOnlyList<string> Nodes { get; }

    public int[] Offsets { get; }

    public int[] Targets { get; }

    public float[] Weights { get; }

    public bool Directed { get; }

    public int NodeCount => Nodes.Count;

    public long EdgeCount => Targets.Length;

    public ReadOnlySpan<int> Neighbours(int node) => Targets.AsSpan(Offsets[node], Offsets[node + 1] - Offsets[node]);

    public ReadOnlySpan<float> NeighbourWeights(int node) => Weights.AsSpan(Offsets[node], Offsets[node + 1] - Offsets[node]);

    /// <summary>Whether there is an edge from <paramref name="from"/> to <paramref name="to"/> (binary search of the sorted row).</summary>
    public bool HasEdge(int from, int to) => Neighbours(from).BinarySearch(to) >= 0;

    /// <summary>Builds a graph from named edges; repeated edges add their weights.</summary>
    public static Graph FromEdges(IEnumerable<(string From, string To, float Weight)> edges, bool directed)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var merged = new Dictionary<(int, int), float>();
        int Id(string name)
        {
            if (!ids.TryGetValue(name, out var id))
            {
                id = names.Count;
                ids[name] = id;
                names.Add(name);
            }

            return id;
        }

        foreach (var (from, to, weight) in edges)
        {
            if (!(weight > 0) || !float.IsFinite(weight))
            {
                throw new QuiverException($"The edge {from} -> {to} has weight {weight}; weights must be positive and finite.");
            }

            var a = Id(from);
            var b = Id(to);
            Add(merged, a, b, weight);
            if (!directed && a != b)
            {
                Add(merged, b, a, weight);
            }
        }

        var offsets = new int[names.Count + 1];
        foreach (var ((a, _), _) in merged)
        {
            offsets[a + 1]++;
        }

        for (var i = 0; i < names.Count; i++)
        {
            offsets[i + 1] += offsets[i];
        }

        var targets = new int[merged.Count];
        var weights = new float[merged.Count];
        var fill = offsets[..^1].ToArray();
        foreach (var ((a, b), w) in merged)
        {
            targets[fill[a]] = b;
            weights[fill[a]++] = w;
        }

        for (var i = 0; i < names.Count; i++)
        {
            Array.Sort(targets, weights, offsets[i], offsets[i + 1] - offsets[i]);
        }

        return new Graph(names, offsets, targets, weights, directed);
    }

    /// <summary>
    /// Reads an edge list: one edge per line, "from to" or "from to weight", separated by tabs or spaces; blank lines
    /// and lines starting with # are skipped.
    /// </summary>
    public static Graph ReadEdgeList(string path, bool directed)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The edge list '{path}' does not exist. Give a file with one edge per line: FROM TO [WEIGHT].", path);
        }

        return FromEdges(ParseEdges(path), directed);
    }

    private static IEnumerable<(string, string, float)> ParseEdges(string path)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            var fields = trimmed.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length is not (2 or 3))
            {
                throw new QuiverException($"{path}, line {lineNumber}: '{trimmed}' has {fields.Length} fields; an edge is FROM TO or FROM TO WEIGHT.");
            }

            var weight = 1f;
            if (fields.Length == 3 && !float.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out weight))
            {
                throw new QuiverException($"{path}, line {lineNumber}: the weight '{fields[2]}' is not a number.");
            }

            yield return (fields[0], fields[1], weight);
        }
    }

    private static void Add(Dictionary<(int, int), float> merged, int a, int b, float weight) =>
        merged[(a, b)] = merged.TryGetValue((a, b), out var w) ? w + weight : weight;
}
