using Quiver.Models.Pooling;

namespace Quiver.Models.Tests.Pooling;

public sealed class TokenPoolingTests
{
    // Three real tokens of two values each, then a padding row that no pooling may read.
    private static readonly float[] Tokens = [1, -2, 3, 4, -5, 6, 1000, 1000];

    [Theory]
    [InlineData(PoolingMode.Mean, -1f / 3, 8f / 3)]
    [InlineData(PoolingMode.Cls, 1f, -2f)]
    [InlineData(PoolingMode.Max, 3f, 6f)]
    [InlineData(PoolingMode.LastToken, -5f, 6f)]
    public void Pools_the_real_tokens_only(PoolingMode mode, float first, float second)
    {
        var pooled = new float[2];
        TokenPooling.Pool(Tokens, length: 3, hidden: 2, mode, pooled);
        Assert.Equal(first, pooled[0], 6);
        Assert.Equal(second, pooled[1], 6);
    }

    [Fact]
    public void A_single_token_pools_to_itself_in_every_mode()
    {
        foreach (var mode in Enum.GetValues<PoolingMode>())
        {
            var pooled = new float[2];
            TokenPooling.Pool(Tokens, length: 1, hidden: 2, mode, pooled);
            Assert.Equal([1f, -2f], pooled);
        }
    }

    [Fact]
    public void Normalisation_gives_unit_length_and_leaves_zero_alone()
    {
        float[] v = [3, 4];
        TokenPooling.Normalize(v);
        Assert.Equal([0.6f, 0.8f], v);
        float[] zero = [0, 0];
        TokenPooling.Normalize(zero);
        Assert.Equal([0f, 0f], zero);
    }

    [Fact]
    public void Bad_lengths_are_refused()
    {
        var pooled = new float[2];
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenPooling.Pool(Tokens, length: 0, hidden: 2, PoolingMode.Mean, pooled));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenPooling.Pool(Tokens, length: 5, hidden: 2, PoolingMode.Mean, pooled));
        Assert.Throws<ArgumentException>(() => TokenPooling.Pool(Tokens, length: 2, hidden: 2, PoolingMode.Mean, new float[3]));
    }
}
