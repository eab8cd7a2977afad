using Quiver.Analysis.Projection;

namespace Quiver.Analysis.Tests.Projection;

public class PcaTests
{
    // Points at 4, −2, −2 along one axis and ±1 along another, rotated 30° in the (x, z) plane and shifted: the
    // variances are 24 / 4 = 6 and 2 / 4 = 0.5 (n − 1 = 4 in the denominator), so the ratios are 12/13 and 1/13, and
    // the axes are the rotated ones.
    private static readonly double Angle = Math.PI / 6;

    private static float[][] Designed()
    {
        float c = (float)Math.Cos(Angle), s = (float)Math.Sin(Angle);
        float[] shift = [5, -2, 7];
        float[][] plain = [[4, 0, 0], [-2, 0, 0], [-2, 0, 0], [0, 1, 0], [0, -1, 0]];
        return plain.Select(p => new[] { (c * p[0]) - (s * p[2]) + shift[0], p[1] + shift[1], (s * p[0]) + (c * p[2]) + shift[2] }).ToArray();
    }

    [Fact]
    public void Variances_ratios_and_axes_of_a_designed_matrix_are_the_known_ones()
    {
        var model = Pca.Fit(Designed(), 3);

        Assert.Equal(6, model.ExplainedVariance[0], 5);
        Assert.Equal(0.5, model.ExplainedVariance[1], 5);
        Assert.Equal(0, model.ExplainedVariance[2], 5);
        Assert.Equal(12.0 / 13, model.ExplainedVarianceRatio[0], 6);
        Assert.Equal(1.0 / 13, model.ExplainedVarianceRatio[1], 6);
        Assert.Equal([5f, -2f, 7f], model.Mean.Select(m => (float)Math.Round(m, 5)));

        // The first axis is the rotated x axis, signed so the largest score (the point at 4) is positive.
        Assert.Equal(Math.Cos(Angle), model.Components[0][0], 5);
        Assert.Equal(0, model.Components[0][1], 5);
        Assert.Equal(Math.Sin(Angle), model.Components[0][2], 5);
        Assert.Equal(1, Math.Abs(model.Components[1][1]), 5);
    }

    [Fact]
    public void Transform_gives_the_coordinates_along_the_axes()
    {
        var data = Designed();
        var points = Pca.Fit(data, 2).Transform(data);

        Assert.Equal(4, points[0][0], 4);
        Assert.Equal(-2, points[1][0], 4);
        Assert.Equal(0, points[3][0], 4);
        Assert.Equal(1, Math.Abs(points[3][1]), 4);
        Assert.Equal(-points[3][1], points[4][1], 4);
    }

    [Fact]
    public void Ratios_over_all_axes_sum_to_one_on_random_data()
    {
        var (vectors, _) = Blobs.Make(3, 20, 8, seed: 3);
        var model = Pca.Fit(vectors, 8);

        Assert.Equal(1, model.ExplainedVarianceRatio.Sum(), 9);
        Assert.True(model.ExplainedVariance.Zip(model.ExplainedVariance.Skip(1)).All(pair => pair.First >= pair.Second));
    }

    [Fact]
    public void Vectors_of_mixed_lengths_are_refused_with_the_offending_index()
    {
        float[][] vectors = [[1, 2, 3], [4, 5, 6], [7, 8]];

        var error = Assert.Throws<Core.QuiverException>(() => Pca.Fit(vectors, 2));

        Assert.Contains("Vector 2 has 2 dimensions but vector 0 has 3", error.Message);
    }
}
