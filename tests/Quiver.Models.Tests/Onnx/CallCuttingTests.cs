using Quiver.Models.Onnx;

namespace Quiver.Models.Tests.Onnx;

/// <summary>How the encoder cuts length-sorted sequences into model calls (<see cref="TransformerEncoder.CutCalls(int[], int, int, int)"/>).</summary>
public sealed class CallCuttingTests
{
    [Fact]
    public void With_a_small_call_overhead_calls_break_wherever_the_length_changes()
    {
        Assert.Equal([2, 3, 1], TransformerEncoder.CutCalls([5, 5, 10, 10, 10, 30], maxBatch: 64, tokenBudget: 10_000, callOverhead: 1));
    }

    [Fact]
    public void A_large_call_overhead_fills_calls_up_to_the_batch_size()
    {
        var sizes = TransformerEncoder.CutCalls([.. Enumerable.Range(1, 100)], maxBatch: 64, tokenBudget: 100_000, callOverhead: 1_000_000);
        Assert.Equal(2, sizes.Length);
        Assert.Equal(100, sizes.Sum());
        Assert.All(sizes, s => Assert.InRange(s, 1, 64));
    }

    [Fact]
    public void Calls_keep_to_the_token_budget_and_a_sequence_longer_than_it_runs_alone()
    {
        var sizes = TransformerEncoder.CutCalls([100, 100, 100, 100, 100, 400], maxBatch: 64, tokenBudget: 250, callOverhead: 1_000);
        Assert.Equal([2, 2, 1, 1], sizes);
    }

    [Fact]
    public void A_few_short_and_a_few_long_inputs_are_not_padded_together()
    {
        // Two runs beat one: 16 + 4·8 + 16 + 2·40 = 144 against 16 + 6·40 = 256.
        Assert.Equal([4, 2], TransformerEncoder.CutCalls([6, 7, 8, 8, 39, 40], maxBatch: 64, tokenBudget: 10_000, callOverhead: 16));
    }

    [Fact]
    public void The_cut_is_the_cheapest_of_all_partitions()
    {
        var random = new Random(42);
        for (var trial = 0; trial < 300; trial++)
        {
            var n = random.Next(1, 11);
            var lengths = Enumerable.Range(0, n).Select(_ => random.Next(1, 60)).Order().ToArray();
            var maxBatch = random.Next(1, 6);
            var budget = random.Next(60, 200);
            var overhead = random.Next(0, 40);
            var sizes = TransformerEncoder.CutCalls(lengths, maxBatch, budget, overhead);

            Assert.Equal(n, sizes.Sum());
            Assert.Equal(Brute(lengths, 0, maxBatch, budget, overhead), Cost(lengths, sizes, overhead));
            var at = 0;
            foreach (var size in sizes)
            {
                Assert.InRange(size, 1, maxBatch);
                Assert.True(size == 1 || size * lengths[at + size - 1] <= budget, $"a call of {size} × {lengths[at + size - 1]} exceeds the budget {budget}");
                at += size;
            }
        }
    }

    private static long Cost(int[] lengths, int[] sizes, int overhead)
    {
        long total = 0;
        var at = 0;
        foreach (var size in sizes)
        {
            total += overhead + (long)size * lengths[at + size - 1];
            at += size;
        }

        return total;
    }

    // Every way of cutting lengths[from..] into calls that keep the limits.
    private static long Brute(int[] lengths, int from, int maxBatch, int budget, int overhead)
    {
        if (from == lengths.Length)
        {
            return 0;
        }

        var best = long.MaxValue;
        for (var size = 1; size <= maxBatch && from + size <= lengths.Length; size++)
        {
            var longest = lengths[from + size - 1];
            if (size > 1 && size * longest > budget)
            {
                break;
            }

            best = Math.Min(best, overhead + (long)size * longest + Brute(lengths, from + size, maxBatch, budget, overhead));
        }

        return best;
    }
}
