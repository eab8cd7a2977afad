using Quiver.Core;
using Quiver.Training.GloVe;

namespace Quiver.Training.Tests;

public sealed class GloVeWeightingTests
{
    [Theory]
    [InlineData(100, 1.0)]
    [InlineData(250, 1.0)]
    [InlineData(50, 0.59460355750136051)] // 0.5^0.75
    [InlineData(1, 0.031622776601683791)] // 0.01^0.75
    public void The_weight_is_x_over_x_max_to_the_alpha_capped_at_one(double x, double expected)
    {
        Assert.Equal(expected, AdaGradTrainer.Weight(x, xMax: 100, alpha: 0.75), 12);
    }

    [Fact]
    public void The_weight_grows_with_the_count_up_to_the_cap()
    {
        var weights = Enumerable.Range(1, 200).Select(x => AdaGradTrainer.Weight(x, 100, 0.75)).ToList();
        for (var i = 1; i < weights.Count; i++)
        {
            Assert.True(weights[i] >= weights[i - 1]);
        }

        Assert.True(weights[98] < 1);
        Assert.All(weights.Skip(99), w => Assert.Equal(1.0, w));
    }

    [Fact]
    public void Options_out_of_range_are_named_with_their_value()
    {
        var error = Assert.Throws<QuiverException>(() => new GloVeOptions { XMax = -3 }.Validate());
        Assert.Contains("XMax", error.Message);
        Assert.Contains("-3", error.Message);
        Assert.Throws<QuiverException>(() => new GloVeOptions { MemoryMiB = 0 }.Validate());
    }
}
