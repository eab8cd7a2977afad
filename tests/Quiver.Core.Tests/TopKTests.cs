using CsCheck;
using Quiver.Core.Selection;

namespace Quiver.Core.Tests;

public sealed class TopKTests
{
    // Few distinct keys, so most inputs are full of ties; infinities take part like any other key.
    private static readonly Gen<float> Key = Gen.Frequency<float>(
        (10, Gen.Int[-5, 5].Select(i => (float)i)),
        (1, Gen.OneOfConst(float.PositiveInfinity, float.NegativeInfinity)),
        (3, Gen.Float[-1000f, 1000f]));

    private static readonly Gen<(float[] Keys, int K, int Seed)> Inputs =
        Gen.Select(Key.Array[0, 200], Gen.Int[1, 60], Gen.Int);

    [Fact]
    public void Drain_returns_the_k_largest_keys_best_first_ties_to_the_lower_index()
    {
        Inputs.Sample((keys, k, seed) =>
        {
            var top = new TopK(k);
            foreach (var i in Shuffled(keys.Length, seed))
            {
                top.Offer(i, keys[i]);
            }

            Assert.Equal(FullSort(keys, Enumerable.Range(0, keys.Length), k), top.Drain());
        });
    }

    [Fact]
    public void Offer_returns_whether_the_entry_is_among_the_k_best_offered_so_far()
    {
        Inputs.Sample((keys, k, seed) =>
        {
            var top = new TopK(k);
            var offered = new List<int>();
            foreach (var i in Shuffled(keys.Length, seed))
            {
                offered.Add(i);
                var expected = FullSort(keys, offered, k).Any(s => s.Index == i);
                Assert.Equal(expected, top.Offer(i, keys[i]));
            }
        });
    }

    [Fact]
    public void Offer_with_a_key_equal_to_the_threshold_enters_only_with_a_lower_index()
    {
        var top = new TopK(2);
        Assert.True(top.Offer(5, 1f));
        Assert.True(top.Offer(6, 1f));

        Assert.False(top.Offer(7, 1f));
        Assert.False(top.Offer(0, 0.5f));
        Assert.True(top.Offer(4, 1f));

        Assert.Equal([new ScoredIndex(4, 1f), new ScoredIndex(5, 1f)], top.Drain());
    }

    [Fact]
    public void Threshold_is_minus_infinity_until_full_then_the_smallest_key_kept()
    {
        Inputs.Sample((keys, k, seed) =>
        {
            var top = new TopK(k);
            var offered = new List<int>();
            foreach (var i in Shuffled(keys.Length, seed))
            {
                top.Offer(i, keys[i]);
                offered.Add(i);
                if (offered.Count < k)
                {
                    Assert.False(top.IsFull);
                    Assert.Equal(float.NegativeInfinity, top.Threshold);
                }
                else
                {
                    Assert.True(top.IsFull);
                    Assert.Equal(FullSort(keys, offered, k)[^1].Score, top.Threshold);
                }

                Assert.Equal(Math.Min(offered.Count, k), top.Count);
            }
        });
    }

    [Fact]
    public void Threshold_of_a_known_sequence()
    {
        var top = new TopK(3);
        Assert.Equal(3, top.Capacity);
        top.Offer(0, 5f);
        top.Offer(1, 2f);
        Assert.Equal(float.NegativeInfinity, top.Threshold);
        top.Offer(2, 9f);
        Assert.Equal(2f, top.Threshold);
        top.Offer(3, 7f);
        Assert.Equal(5f, top.Threshold);
    }

    [Fact]
    public void Drain_leaves_the_selection_empty_and_reusable()
    {
        var top = new TopK(2);
        top.Offer(0, 1f);
        top.Offer(1, 3f);
        top.Offer(2, 2f);

        Assert.Equal([new ScoredIndex(1, 3f), new ScoredIndex(2, 2f)], top.Drain());
        Assert.Equal(0, top.Count);
        Assert.False(top.IsFull);
        Assert.Equal(float.NegativeInfinity, top.Threshold);
        Assert.Empty(top.Drain());

        Assert.True(top.Offer(9, -1f));
        Assert.Equal([new ScoredIndex(9, -1f)], top.Drain());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void K_below_one_is_refused(int k)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TopK(k));
        Assert.Equal("k", e.ParamName);
    }

    [Fact]
    public void NaN_key_is_refused_naming_the_index()
    {
        var top = new TopK(3);
        var e = Assert.Throws<ArgumentException>(() => top.Offer(17, float.NaN));
        Assert.Contains("index 17", e.Message, StringComparison.Ordinal);
        Assert.Contains("NaN", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, top.Count);
    }

    private static ScoredIndex[] FullSort(float[] keys, IEnumerable<int> indexes, int k) =>
        indexes.OrderByDescending(i => keys[i]).ThenBy(i => i).Take(k).Select(i => new ScoredIndex(i, keys[i])).ToArray();

    private static int[] Shuffled(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
#pragma warning disable CA5394 // A seeded shuffle for test input, not security.
        new Random(seed).Shuffle(order);
#pragma warning restore CA5394
        return order;
    }
}
