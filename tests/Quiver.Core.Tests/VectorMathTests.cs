using System.Numerics;
using CsCheck;
using Quiver.Core.Distances;

namespace Quiver.Core.Tests;

public sealed class VectorMathTests
{
    // Float sums of up to 300 products: SIMD accumulation keeps the rounding error far below this bound, while a
    // dropped or doubled component moves the result by orders of magnitude more.
    private const double RelativeTolerance = 1e-5;

    private static readonly Gen<float> Component = Gen.Float[-100f, 100f];

    private static readonly Gen<(float[] A, float[] B)> Pairs =
        Gen.Int[1, 300].SelectMany(n => Gen.Select(Component.Array[n], Component.Array[n]));

    // CsCheck also generates subnormal components, whose squares underflow in float; vectors made only of those are
    // covered by their own tests below.
    private static readonly Gen<(float[] A, float[] B)> NonZeroPairs =
        Pairs.Where(p => HasNormalLength(p.A) && HasNormalLength(p.B));

    private static readonly Gen<float[]> NonZeroVectors =
        Component.Array[1, 300].Where(HasNormalLength);

    [Fact]
    public void Dot_matches_a_double_precision_loop()
    {
        Pairs.Sample((a, b) =>
        {
            var expected = NaiveDot(a, b);
            var scale = a.Zip(b, (x, y) => Math.Abs((double)x * y)).Sum();
            AssertClose(expected, VectorMath.Dot(a, b), RelativeTolerance * scale);
        });
    }

    [Fact]
    public void Cosine_matches_a_double_precision_loop()
    {
        NonZeroPairs.Sample((a, b) =>
        {
            var expected = NaiveDot(a, b) / (NaiveNorm(a) * NaiveNorm(b));
            AssertClose(expected, VectorMath.Cosine(a, b), RelativeTolerance);
        });
    }

    [Fact]
    public void Cosine_is_symmetric_and_within_minus_one_and_one()
    {
        NonZeroPairs.Sample((a, b) =>
        {
            var ab = VectorMath.Cosine(a, b);
            var ba = VectorMath.Cosine(b, a);
            Assert.InRange(ab, -1f, 1f);
            AssertClose(ab, ba, 1e-6);
        });
    }

    [Fact]
    public void Cosine_of_a_vector_with_itself_is_one_and_with_its_negation_minus_one()
    {
        NonZeroVectors.Sample(v =>
        {
            var negated = v.Select(x => -x).ToArray();
            AssertClose(1.0, VectorMath.Cosine(v, v), 1e-6);
            AssertClose(-1.0, VectorMath.Cosine(v, negated), 1e-6);
        });
    }

    [Fact]
    public void Cosine_ignores_positive_scaling()
    {
        NonZeroPairs.Sample((a, b) =>
        {
            var scaled = a.Select(x => x * 4f).ToArray();
            AssertClose(VectorMath.Cosine(a, b), VectorMath.Cosine(scaled, b), 1e-5);
        });
    }

    [Fact]
    public void Euclidean_matches_a_double_precision_loop()
    {
        Pairs.Sample((a, b) =>
        {
            var expected = Math.Sqrt(NaiveSquaredDistance(a, b));
            AssertClose(expected, VectorMath.Euclidean(a, b), (RelativeTolerance * expected) + 1e-6);
        });
    }

    [Fact]
    public void SquaredEuclidean_matches_a_double_precision_loop()
    {
        Pairs.Sample((a, b) =>
        {
            var expected = NaiveSquaredDistance(a, b);
            AssertClose(expected, VectorMath.SquaredEuclidean(a, b), (2 * RelativeTolerance * expected) + 1e-6);
        });
    }

    [Fact]
    public void Euclidean_is_symmetric_non_negative_and_zero_for_equal_vectors()
    {
        Pairs.Sample((a, b) =>
        {
            Assert.True(VectorMath.Euclidean(a, b) >= 0);
            AssertClose(VectorMath.Euclidean(a, b), VectorMath.Euclidean(b, a), 1e-5 * (1 + VectorMath.Euclidean(a, b)));
            Assert.Equal(0f, VectorMath.Euclidean(a, a));
            Assert.Equal(0f, VectorMath.SquaredEuclidean(a, a));
        });
    }

    [Fact]
    public void Euclidean_of_a_known_pair_is_exact()
    {
        Assert.Equal(5f, VectorMath.Euclidean([0f, 0f], [3f, 4f]));
        Assert.Equal(25f, VectorMath.SquaredEuclidean([0f, 0f], [3f, 4f]));
        Assert.Equal(11f, VectorMath.Dot([1f, 2f], [3f, 4f]));
        Assert.Equal(5f, VectorMath.Norm([3f, 4f]));
    }

    [Fact]
    public void Norm_matches_a_double_precision_loop()
    {
        Component.Array[0, 300].Sample(v =>
        {
            var expected = NaiveNorm(v);
            AssertClose(expected, VectorMath.Norm(v), (RelativeTolerance * expected) + 1e-6);
        });
    }

    [Fact]
    public void Normalized_vectors_have_unit_norm_and_keep_their_direction()
    {
        NonZeroVectors.Sample(v =>
        {
            var unit = new float[v.Length];
            VectorMath.Normalize(v, unit);

            AssertClose(1.0, NaiveNorm(unit), 1e-5);
            var norm = NaiveNorm(v);
            for (var i = 0; i < v.Length; i++)
            {
                AssertClose(v[i] / norm, unit[i], 1e-5);
            }
        });
    }

    [Fact]
    public void Normalize_in_place_gives_the_same_result_as_into_a_destination()
    {
        NonZeroVectors.Sample(v =>
        {
            var expected = new float[v.Length];
            VectorMath.Normalize(v, expected);
            var inPlace = (float[])v.Clone();
            VectorMath.Normalize(inPlace);
            Assert.Equal(expected, inPlace);
        });
    }

    [Fact]
    public void Normalize_leaves_the_source_unchanged()
    {
        float[] source = [3f, 4f];
        var destination = new float[2];
        VectorMath.Normalize(source, destination);
        Assert.Equal([3f, 4f], source);
        Assert.Equal([0.6f, 0.8f], destination);
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Dot)]
    [InlineData(DistanceMetric.Euclidean)]
    public void Score_dispatches_to_the_metric(DistanceMetric metric)
    {
        NonZeroPairs.Sample((a, b) =>
        {
            var expected = metric switch
            {
                DistanceMetric.Cosine => VectorMath.Cosine(a, b),
                DistanceMetric.Dot => VectorMath.Dot(a, b),
                _ => VectorMath.Euclidean(a, b),
            };
            Assert.Equal(expected, VectorMath.Score(metric, a, b));
        });
    }

    [Fact]
    public void Score_distinguishes_the_metrics_on_a_known_pair()
    {
        float[] a = [1f, 0f];
        float[] b = [2f, 2f];
        AssertClose(Math.Sqrt(0.5), VectorMath.Score(DistanceMetric.Cosine, a, b), 1e-6);
        Assert.Equal(2f, VectorMath.Score(DistanceMetric.Dot, a, b));
        AssertClose(Math.Sqrt(5), VectorMath.Score(DistanceMetric.Euclidean, a, b), 1e-6);
    }

    [Fact]
    public void Score_with_an_unknown_metric_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VectorMath.Score((DistanceMetric)42, [1f], [1f]));
    }

    [Theory]
    [InlineData("dot")]
    [InlineData("cosine")]
    [InlineData("euclidean")]
    [InlineData("squared-euclidean")]
    [InlineData("score")]
    public void Vectors_of_different_dimensions_are_refused(string operation)
    {
        var e = Assert.Throws<InvalidVectorException>(() => Apply(operation, [1f, 2f, 3f], [1f, 2f, 3f, 4f]));
        Assert.Contains("dimension", e.Message, StringComparison.Ordinal);
        Assert.Contains("3 and 4", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dot")]
    [InlineData("cosine")]
    [InlineData("euclidean")]
    [InlineData("squared-euclidean")]
    [InlineData("score")]
    public void Empty_vectors_are_refused(string operation)
    {
        var e = Assert.Throws<InvalidVectorException>(() => Apply(operation, [], []));
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dot", float.NaN, "NaN")]
    [InlineData("cosine", float.NaN, "NaN")]
    [InlineData("euclidean", float.NaN, "NaN")]
    [InlineData("squared-euclidean", float.NaN, "NaN")]
    [InlineData("score", float.NaN, "NaN")]
    [InlineData("dot", float.PositiveInfinity, "infinite")]
    [InlineData("cosine", float.NegativeInfinity, "infinite")]
    [InlineData("euclidean", float.PositiveInfinity, "infinite")]
    [InlineData("squared-euclidean", float.NegativeInfinity, "infinite")]
    [InlineData("score", float.PositiveInfinity, "infinite")]
    public void Non_finite_components_are_refused_naming_the_vector_and_index(string operation, float bad, string word)
    {
        float[] good = [1f, 2f, 3f, 4f];
        float[] withBad = [1f, 2f, bad, 4f];

        var first = Assert.Throws<InvalidVectorException>(() => Apply(operation, withBad, good));
        Assert.Contains(word, first.Message, StringComparison.Ordinal);
        Assert.Contains("index 2", first.Message, StringComparison.Ordinal);
        Assert.Contains("first vector", first.Message, StringComparison.Ordinal);

        var second = Assert.Throws<InvalidVectorException>(() => Apply(operation, good, withBad));
        Assert.Contains(word, second.Message, StringComparison.Ordinal);
        Assert.Contains("index 2", second.Message, StringComparison.Ordinal);
        Assert.Contains("second vector", second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckFinite_names_the_first_offending_index()
    {
        Gen.Int[1, 100]
            .SelectMany(n => Gen.Select(Component.Array[n], Gen.Int[0, n - 1], Gen.OneOfConst(float.NaN, float.PositiveInfinity, float.NegativeInfinity)))
            .Sample((v, i, bad) =>
            {
                var vector = (float[])v.Clone();
                vector[i] = bad;
                if (i + 1 < vector.Length)
                {
                    vector[^1] = float.NaN;
                }

                var e = Assert.Throws<InvalidVectorException>(() => VectorMath.CheckFinite(vector, "probe"));
                Assert.Contains($"index {i} ", e.Message, StringComparison.Ordinal);
                Assert.Contains("probe", e.Message, StringComparison.Ordinal);
                Assert.Contains(float.IsNaN(bad) ? "NaN" : "infinite", e.Message, StringComparison.Ordinal);
            });
    }

    [Fact]
    public void CheckFinite_accepts_finite_vectors_including_extremes()
    {
        VectorMath.CheckFinite([float.MaxValue, float.MinValue, float.Epsilon, 0f, -0f]);
        VectorMath.CheckFinite([]);
    }

    [Fact]
    public void Norm_refuses_non_finite_components()
    {
        var e = Assert.Throws<InvalidVectorException>(() => VectorMath.Norm([0f, float.NaN]));
        Assert.Contains("index 1", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Cosine_of_zero_vector_is_refused(bool zeroFirst)
    {
        float[] zero = [0f, 0f, 0f];
        float[] other = [1f, 2f, 3f];
        var e = Assert.Throws<InvalidVectorException>(() => zeroFirst ? VectorMath.Cosine(zero, other) : VectorMath.Cosine(other, zero));
        Assert.Contains("zero vector", e.Message, StringComparison.Ordinal);
        Assert.Contains(zeroFirst ? "first" : "second", e.Message, StringComparison.Ordinal);
        Assert.Contains("dot or euclidean", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_of_zero_vector_is_refused()
    {
        var e = Assert.Throws<InvalidVectorException>(() => VectorMath.Normalize(new float[4]));
        Assert.Contains("zero vector", e.Message, StringComparison.Ordinal);

        var e2 = Assert.Throws<InvalidVectorException>(() => VectorMath.Normalize(new float[4], new float[4]));
        Assert.Contains("zero vector", e2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_refuses_a_destination_of_another_length()
    {
        var e = Assert.Throws<InvalidVectorException>(() => VectorMath.Normalize([1f, 2f, 3f], new float[2]));
        Assert.Contains("2 components", e.Message, StringComparison.Ordinal);
        Assert.Contains("source has 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_refuses_non_finite_components_naming_the_index()
    {
        var e = Assert.Throws<InvalidVectorException>(() => VectorMath.Normalize([1f, 2f, float.PositiveInfinity]));
        Assert.Contains("infinite", e.Message, StringComparison.Ordinal);
        Assert.Contains("index 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hamming_matches_a_naive_bit_count()
    {
        Gen.Int[0, 200].SelectMany(n => Gen.Select(Gen.Byte.Array[n], Gen.Byte.Array[n])).Sample((a, b) =>
        {
            var expected = 0;
            for (var i = 0; i < a.Length; i++)
            {
                for (var bit = 0; bit < 8; bit++)
                {
                    if (((a[i] >> bit) & 1) != ((b[i] >> bit) & 1))
                    {
                        expected++;
                    }
                }
            }

            Assert.Equal(expected, VectorMath.Hamming(a, b));
            Assert.Equal(expected, VectorMath.Hamming(b, a));
            Assert.Equal(0, VectorMath.Hamming(a, a));
        });
    }

    [Fact]
    public void Hamming_of_complements_counts_every_bit()
    {
        byte[] a = [0x00, 0xFF, 0b1010_1010];
        byte[] b = [0xFF, 0x00, 0b0101_0101];
        Assert.Equal(24, VectorMath.Hamming(a, b));
        Assert.Equal(BitOperations.PopCount(0b1010_1010u), VectorMath.Hamming([0b1010_1010], [0]));
    }

    [Fact]
    public void Hamming_of_bit_vectors_of_different_lengths_is_refused()
    {
        var e = Assert.Throws<InvalidVectorException>(() => VectorMath.Hamming(new byte[3], new byte[4]));
        Assert.Contains("3 bytes and 4 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cosine_of_tiny_but_non_zero_vectors_is_defined()
    {
        // Both vectors point the same way; their squared norms underflow in float, but they are not zero vectors.
        Assert.Equal(1f, VectorMath.Cosine([1e-30f, 0f], [2e-30f, 0f]), 1e-6f);
    }

    [Fact]
    public void Cosine_of_large_finite_vectors_is_within_minus_one_and_one()
    {
        // Every component is finite and accepted by CheckFinite, yet squaring them overflows float.
        var cosine = VectorMath.Cosine([1e20f, 1e20f], [1e20f, -3e20f]);
        Assert.Equal(-1 / Math.Sqrt(5), cosine, 1e-6);
    }

    [Fact]
    public void Normalize_of_a_large_finite_vector_has_unit_norm()
    {
        float[] v = [3e20f, 4e20f];
        VectorMath.Normalize(v);
        Assert.Equal([0.6f, 0.8f], v, (x, y) => Math.Abs(x - y) <= 1e-6f);
    }

    private static bool HasNormalLength(float[] v) => v.Any(x => Math.Abs(x) > 1e-6f);

    private static float Apply(string operation, float[] a, float[] b) => operation switch
    {
        "dot" => VectorMath.Dot(a, b),
        "cosine" => VectorMath.Cosine(a, b),
        "euclidean" => VectorMath.Euclidean(a, b),
        "squared-euclidean" => VectorMath.SquaredEuclidean(a, b),
        "score" => VectorMath.Score(DistanceMetric.Euclidean, a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown operation."),
    };

    private static double NaiveDot(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    private static double NaiveNorm(float[] v) => Math.Sqrt(NaiveDot(v, v));

    private static double NaiveSquaredDistance(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (double)a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }

    private static void AssertClose(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R} but got {actual:R} (tolerance {tolerance:R})");
}
