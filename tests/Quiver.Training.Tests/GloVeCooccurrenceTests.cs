using Quiver.Training.GloVe;

namespace Quiver.Training.Tests;

public sealed class GloVeCooccurrenceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("quiver-glove-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_symmetric_window_adds_one_over_distance_both_ways_within_a_sentence()
    {
        // Vocabulary by count: a (3), b (2), c (1). Window 2: a…a in the first line are 3 apart, and lines do not meet.
        var corpus = GloVeFixtures.Write(_folder, "tiny.txt", ["a b c a", "b a"]);

        var counts = GloVeFixtures.Count(corpus, _folder, window: 2);

        var expected = new Dictionary<(string, string), double>
        {
            [("a", "b")] = 1 + 0.5 + 1, // a0-b1 (d=1), b1-a3 (d=2), line 2 b-a (d=1)
            [("b", "a")] = 2.5,
            [("a", "c")] = 0.5 + 1, // a0-c2 (d=2), c2-a3 (d=1)
            [("c", "a")] = 1.5,
            [("b", "c")] = 1,
            [("c", "b")] = 1,
        };
        Assert.Equal(expected.OrderBy(p => p.Key), counts.OrderBy(p => p.Key).Select(p => new KeyValuePair<(string, string), double>(p.Key, p.Value)));
    }

    [Fact]
    public void A_left_window_counts_earlier_word_then_later_word_only()
    {
        var corpus = GloVeFixtures.Write(_folder, "tiny.txt", ["a b c a", "b a"]);

        var counts = GloVeFixtures.Count(corpus, _folder, window: 2, symmetric: false);

        Assert.Equal(5, counts.Count);
        Assert.Equal(1.0, counts[("a", "b")]);
        Assert.Equal(0.5, counts[("a", "c")]);
        Assert.Equal(1.0, counts[("b", "c")]);
        Assert.Equal(0.5 + 1, counts[("b", "a")]);
        Assert.Equal(1.0, counts[("c", "a")]);
    }

    [Fact]
    public void Words_outside_the_vocabulary_are_dropped_before_the_window_is_taken()
    {
        // With min count 2, c is dropped: the first line becomes "a b a", so the two a's are 2 apart.
        var corpus = GloVeFixtures.Write(_folder, "tiny.txt", ["a b c a", "b a"]);

        var counts = GloVeFixtures.Count(corpus, _folder, window: 2, minCount: 2);

        Assert.Equal(3, counts.Count);
        Assert.Equal(1 + 1 + 1.0, counts[("a", "b")]);
        Assert.Equal(3.0, counts[("b", "a")]);
        Assert.Equal(0.5 + 0.5, counts[("a", "a")]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Spilling_many_small_runs_gives_the_same_records_as_counting_in_memory(int threads)
    {
        var corpus = GloVeFixtures.Write(_folder, "random.txt", GloVeFixtures.RandomSentences(seed: 3, sentences: 600, words: 300));

        var (_, inMemory, oneRun) = GloVeFixtures.CountRecords(corpus, _folder, window: 5, symmetric: true, minCount: 1, threads: 1, memoryBytes: 64 << 20);
        var (_, spilled, runs) = GloVeFixtures.CountRecords(corpus, _folder, window: 5, symmetric: true, minCount: 1, threads, memoryBytes: 4096);

        Assert.Equal(1, oneRun);
        Assert.True(runs > 100, $"only {runs} runs were spilled");
        Assert.True(inMemory.Count > 5_000, $"only {inMemory.Count} records");
        Assert.Equal(inMemory.Select(r => r.Key), spilled.Select(r => r.Key));

        // Partial sums are added in another order, so the last bits of a double may differ.
        for (var i = 0; i < inMemory.Count; i++)
        {
            Assert.Equal(inMemory[i].Value, spilled[i].Value, 1e-9);
        }
    }

    [Fact]
    public void Merged_records_are_sorted_and_distinct()
    {
        var corpus = GloVeFixtures.Write(_folder, "random.txt", GloVeFixtures.RandomSentences(seed: 4, sentences: 500, words: 100));

        var (_, records, _) = GloVeFixtures.CountRecords(corpus, _folder, window: 4, symmetric: true, minCount: 1, threads: 2, memoryBytes: 4096);

        for (var i = 1; i < records.Count; i++)
        {
            Assert.True(records[i - 1].Key < records[i].Key, $"record {i} is out of order or repeated");
        }
    }
}
