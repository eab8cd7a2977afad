using Quiver.Analysis.Metrics;
using Quiver.Core;

namespace Quiver.Analysis.Tests.Metrics;

public class TrustworthinessTests
{
    private static float[][] Line(int n) => Enumerable.Range(0, n).Select(i => new[] { (float)i, 0f }).ToArray();

    [Fact]
    public void An_identity_map_is_fully_trustworthy()
    {
        var random = new Random(1);
        var points = Enumerable.Range(0, 60).Select(_ => Enumerable.Range(0, 5).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();

        Assert.Equal(1.0, Trustworthiness.Compute(points, points, 5), 12);
    }

    [Fact]
    public void A_swap_costs_the_ranks_worked_out_by_hand()
    {
        // Ten points on a line, k = 2; the map swaps the end points 0 and 9. Point 0 (now at 9) has map neighbours 8
        // and 7, its input ranks 8 and 7: penalties 6 + 5. Point 9 (now at 0) has 1 and 2, ranks 8 and 7: 6 + 5.
        // Point 1's map neighbours are 2 and 9 (both at distance 1); 9 is its farthest input point, rank 9: 7. Point
        // 8's are 7 and 0; 0 is rank 9: 7. Total 36, so T = 1 − 36 · 2 / (10 · 2 · (20 − 6 − 1)) = 1 − 72 / 260.
        var input = Line(10);
        var map = Line(10);
        (map[0], map[9]) = (map[9], map[0]);

        Assert.Equal(1 - (72.0 / 260), Trustworthiness.Compute(input, map, 2), 12);
    }

    [Fact]
    public void A_random_map_is_far_less_trustworthy()
    {
        var random = new Random(3);
        var input = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, 10).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        var map = Enumerable.Range(0, 200).Select(_ => new[] { (float)random.NextDouble(), (float)random.NextDouble() }).ToArray();

        Assert.InRange(Trustworthiness.Compute(input, map, 10), 0.3, 0.7);
    }

    [Fact]
    public void K_of_half_the_points_or_more_is_refused()
    {
        var points = Line(10);

        Assert.Throws<QuiverException>(() => Trustworthiness.Compute(points, points, 5));
    }
}
