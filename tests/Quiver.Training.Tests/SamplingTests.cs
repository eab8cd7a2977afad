using Quiver.Training.Words;

namespace Quiver.Training.Tests;

public sealed class SamplingTests
{
    [Fact]
    public void Keep_probability_is_word2vecs_formula()
    {
        // N = 1,000,000 tokens, s = 1e-3, so s·N = 1000: a word seen 1000 times is kept with (√1 + 1)·1 = 2 (always),
        // one seen 100,000 times with (√100 + 1)·1000/100000 = 0.11.
        long[] counts = [100_000, 1000, 898_990, 10];
        var keep = EmbeddingTrainer.KeepProbabilities(counts, 1e-3);

        Assert.Equal(0.11f, keep[0], 5);
        Assert.Equal(2f, keep[1], 5);
        Assert.Equal((float)((Math.Sqrt(898_990 / 1000.0) + 1) * 1000 / 898_990), keep[2], 6);
        Assert.True(keep[3] > 1);
    }

    [Fact]
    public void No_threshold_keeps_every_word()
    {
        var keep = EmbeddingTrainer.KeepProbabilities([5, 1_000_000], 0);
        Assert.All(keep, k => Assert.True(float.IsPositiveInfinity(k)));
    }

    [Fact]
    public void The_lcg_draws_keep_a_word_as_often_as_its_probability_says()
    {
        var rng = new Lcg(7);
        const float p = 0.11f;
        var kept = 0;
        const int draws = 200_000;
        for (var i = 0; i < draws; i++)
        {
            if (p >= rng.NextUnit16())
            {
                kept++;
            }
        }

        Assert.InRange(kept / (double)draws, p - 0.005, p + 0.005);
    }

    [Fact]
    public void Unigram_table_holds_each_word_in_proportion_to_count_to_the_three_quarters()
    {
        long[] counts = [10_000, 3000, 1000, 100, 1];
        var table = new UnigramTable(counts, size: 1_000_000);
        var total = counts.Sum(c => Math.Pow(c, 0.75));
        var slots = new int[counts.Length];
        foreach (var s in table.Slots)
        {
            slots[s]++;
        }

        for (var i = 0; i < counts.Length; i++)
        {
            var expected = Math.Pow(counts[i], 0.75) / total;
            Assert.InRange(slots[i] / (double)table.Size, expected - 2e-5, expected + 2e-5);
        }
    }

    [Fact]
    public void Huffman_codes_are_prefix_free_complete_and_shorter_for_frequent_words()
    {
        long[] counts = [500, 300, 120, 60, 10, 5, 3, 2];
        var tree = new HuffmanTree(counts);
        var codes = Enumerable.Range(0, counts.Length)
            .Select(w => string.Concat(tree.Codes.AsSpan(w * HuffmanTree.MaxCodeLength, tree.Lengths[w]).ToArray().Select(b => b.ToString())))
            .ToList();

        // Kraft's equality holds for the leaves of a full binary tree.
        Assert.Equal(1.0, codes.Sum(c => Math.Pow(2, -c.Length)), 9);
        for (var i = 0; i < codes.Count; i++)
        {
            for (var j = 0; j < codes.Count; j++)
            {
                Assert.True(i == j || !codes[j].StartsWith(codes[i], StringComparison.Ordinal), $"{codes[i]} is a prefix of {codes[j]}");
            }
        }

        Assert.True(tree.Lengths[0] <= tree.Lengths[^1]);

        // Every path starts at the root (row n - 2) and stays within the n - 1 inner nodes.
        for (var w = 0; w < counts.Length; w++)
        {
            Assert.Equal(counts.Length - 2, tree.Points[w * HuffmanTree.MaxCodeLength]);
            for (var d = 0; d < tree.Lengths[w]; d++)
            {
                Assert.InRange(tree.Points[(w * HuffmanTree.MaxCodeLength) + d], 0, counts.Length - 2);
            }
        }
    }
}
