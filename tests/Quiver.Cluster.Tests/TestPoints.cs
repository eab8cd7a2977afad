using System.Text.Json.Nodes;
using Quiver.Store.Collections;

namespace Quiver.Cluster.Tests;

/// <summary>Random points with payloads and text from a small vocabulary, the same for a seed.</summary>
internal static class TestPoints
{
    private static readonly string[] Vocabulary =
        ["whale", "ship", "sea", "harpoon", "captain", "storm", "sail", "rope", "deck", "island", "compass", "anchor", "tide", "gull", "reef"];

    public static List<Point> Make(int count, int dimensions, int seed, int from = 0)
    {
        var random = new Random(seed);
        return Enumerable.Range(from, count).Select(i => new Point(
            $"p{i}",
            Enumerable.Range(0, dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray(),
            new JsonObject { ["group"] = i % 4, ["rank"] = i },
            i % 9 == 0 ? null : string.Join(' ', Enumerable.Range(0, random.Next(1, 12)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]))))
            .ToList();
    }

    public static float[] Query(int dimensions, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }
}
