using System.Numerics.Tensors;
using Quiver.Core;
using Quiver.Training.Graphs;
using Quiver.Training.Words;

namespace Quiver.Training.Tests;

public sealed class Node2VecTests
{
    // t - v, t - x1, v - x1, v - x2: from t to v, x1 is at distance 1 from t and x2 at distance 2.
    private static readonly Graph Triangle = Graph.FromEdges([("t", "v", 1f), ("t", "x1", 1f), ("v", "x1", 1f), ("v", "x2", 1f)], directed: false);

    [Fact]
    public void Transitions_weigh_return_by_1_over_p_and_outward_steps_by_1_over_q()
    {
        var walks = new RandomWalks(Triangle, new Node2VecOptions { P = 2, Q = 0.5 });
        int Id(string n) => Triangle.Nodes.ToList().IndexOf(n);
        var weights = walks.TransitionWeights(Id("t"), Id("v"));
        var neighbours = Triangle.Neighbours(Id("v")).ToArray();

        Assert.Equal(0.5f, weights[Array.IndexOf(neighbours, Id("t"))]);
        Assert.Equal(1f, weights[Array.IndexOf(neighbours, Id("x1"))]);
        Assert.Equal(2f, weights[Array.IndexOf(neighbours, Id("x2"))]);
    }

    [Fact]
    public void Sampled_second_steps_follow_the_biased_probabilities()
    {
        var walks = new RandomWalks(Triangle, new Node2VecOptions { P = 2, Q = 0.5, WalkLength = 3 });
        var nodes = Triangle.Nodes.ToList();
        int t = nodes.IndexOf("t"), v = nodes.IndexOf("v");
        var counts = new Dictionary<string, int>();
        var walk = new int[3];
        var total = 0;
        for (var round = 0; round < 60_000; round++)
        {
            if (walks.Walk(t, round, walk) == 3 && walk[1] == v)
            {
                counts[nodes[walk[2]]] = counts.GetValueOrDefault(nodes[walk[2]]) + 1;
                total++;
            }
        }

        // Weights 0.5 : 1 : 2 over back to t, x1, x2.
        Assert.InRange(counts["t"] / (double)total, (0.5 / 3.5) - 0.01, (0.5 / 3.5) + 0.01);
        Assert.InRange(counts["x1"] / (double)total, (1 / 3.5) - 0.01, (1 / 3.5) + 0.01);
        Assert.InRange(counts["x2"] / (double)total, (2 / 3.5) - 0.01, (2 / 3.5) + 0.01);
    }

    [Fact]
    public void First_steps_follow_edge_weights()
    {
        var graph = Graph.FromEdges([("a", "b", 1f), ("a", "c", 3f)], directed: true);
        var walks = new RandomWalks(graph, new Node2VecOptions { WalkLength = 2 });
        var walk = new int[2];
        var toC = Enumerable.Range(0, 40_000).Count(r => walks.Walk(0, r, walk) == 2 && graph.Nodes[walk[1]] == "c");
        Assert.InRange(toC / 40_000.0, 0.74, 0.76);
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(1.0, 0.5)]
    [InlineData(0.5, 2.0)]
    public void Nearest_neighbours_recover_planted_communities(double p, double q)
    {
        var (edges, community) = PlantedPartition(communities: 4, size: 30, pIn: 0.3, pOut: 0.01, seed: 8);
        var graph = Graph.FromEdges(edges.Select(e => (e.Item1, e.Item2, 1f)), directed: false);
        var options = new Node2VecOptions
        {
            P = p,
            Q = q,
            WalkLength = 20,
            WalksPerNode = 8,
            Word2Vec = new Word2VecOptions { Cbow = false, Dimensions = 16, Window = 5, Epochs = 2, MinCount = 1, Sample = 0, Threads = 1 },
        };

        var vectors = Node2VecTrainer.Train(graph, options).Vectors;

        Assert.Equal(graph.NodeCount, vectors.Count);
        var correct = vectors.Words.Count(node =>
            vectors.MostSimilar(node, 5).GroupBy(h => community[h.Word]).MaxBy(g => g.Count())!.Key == community[node]);
        Assert.True(correct / (double)vectors.Count >= 0.9, $"{correct} of {vectors.Count} nodes' neighbours are mostly of their community");
    }

    [Fact]
    public void Walks_depend_on_the_seed_not_on_the_number_of_parts()
    {
        var (edges, _) = PlantedPartition(2, 10, 0.5, 0.1, seed: 1);
        var walks = new RandomWalks(Graph.FromEdges(edges.Select(e => (e.Item1, e.Item2, 1f)), false), new Node2VecOptions { WalkLength = 6, WalksPerNode = 3, P = 0.7, Q = 1.5 });
        static List<string> All(RandomWalks w, int parts) =>
            Enumerable.Range(0, parts).SelectMany(p => w.Read(p, parts).Select(s => string.Join(' ', s))).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(All(walks, 1), All(walks, 3));
        Assert.Equal(60, All(walks, 1).Count);
    }

    [Fact]
    public void Edge_lists_take_weights_comments_and_the_direction_flag()
    {
        var path = Path.Combine(Path.GetTempPath(), $"quiver-edges-{Guid.NewGuid():N}.tsv");
        try
        {
            File.WriteAllText(path, "# a comment\na\tb\t2.5\n\nb c\na b 0.5\n");
            var undirected = Graph.ReadEdgeList(path, directed: false);
            var directed = Graph.ReadEdgeList(path, directed: true);

            Assert.Equal(3, undirected.NodeCount);
            Assert.Equal(4, undirected.EdgeCount);
            Assert.Equal(2, directed.EdgeCount);
            Assert.Equal([3f], directed.NeighbourWeights(0).ToArray());
            Assert.True(undirected.HasEdge(2, 1));
            Assert.False(directed.HasEdge(2, 1));

            File.WriteAllText(path, "a b c d\n");
            Assert.Contains("line 1", Assert.Throws<QuiverException>(() => Graph.ReadEdgeList(path, false)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A stochastic block model: nodes "c{k}n{i}", an edge within a community with probability pIn, across with pOut.</summary>
    internal static (List<(string, string)> Edges, Dictionary<string, int> Community) PlantedPartition(int communities, int size, double pIn, double pOut, int seed)
    {
        var random = new Random(seed);
        var nodes = Enumerable.Range(0, communities * size).Select(i => (Name: $"c{i / size}n{i % size}", Community: i / size)).ToList();
        var edges = new List<(string, string)>();
        for (var i = 0; i < nodes.Count; i++)
        {
            for (var j = i + 1; j < nodes.Count; j++)
            {
                if (random.NextDouble() < (nodes[i].Community == nodes[j].Community ? pIn : pOut))
                {
                    edges.Add((nodes[i].Name, nodes[j].Name));
                }
            }
        }

        return (edges, nodes.ToDictionary(n => n.Name, n => n.Community));
    }
}
