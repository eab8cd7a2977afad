using Quiver.Training.Corpus;
using Quiver.Training.Words;

namespace Quiver.Training.Tests;

public sealed class VocabularyTests
{
    [Fact]
    public void Words_are_sorted_by_count_after_the_sentence_end_and_rare_ones_dropped()
    {
        var corpus = new ListCorpus([
            ["b", "a", "c", "a"],
            ["a", "b", "d"],
            ["c", "a", "b", "e"],
        ]);

        var vocabulary = Vocabulary.Build(corpus, minCount: 2);

        Assert.Equal([Vocabulary.SentenceEnd, "a", "b", "c"], vocabulary.Words);
        Assert.Equal([3L, 4, 3, 2], vocabulary.Counts.ToArray());
        Assert.Equal(12, vocabulary.TotalCount);
        Assert.Equal(-1, vocabulary.IdOf("d"));
        Assert.Equal(2, vocabulary.IdOf("b"u8));
        Assert.Equal(3, vocabulary.IdOf("c".AsSpan()));
    }

    [Fact]
    public void Equal_counts_are_ordered_by_word_so_the_vocabulary_is_reproducible()
    {
        var vocabulary = Vocabulary.Build(new ListCorpus([["z", "y", "x"], ["x", "y", "z"]]), minCount: 1);
        Assert.Equal([Vocabulary.SentenceEnd, "x", "y", "z"], vocabulary.Words);
    }

    [Fact]
    public void Pruning_drops_words_at_or_below_a_rising_threshold_as_word2vec_reduces_its_vocabulary()
    {
        // "a" is frequent; the singletons overflow the limit of 3 and are pruned (count <= 1), then the bar rises to 2.
        var corpus = new ListCorpus([["a", "a", "a", "s1", "s2", "s3"], ["b", "b", "s4", "a", "b"]]);

        var vocabulary = Vocabulary.Build(corpus, minCount: 1, maxSize: 3);

        Assert.Contains("a", vocabulary.Words);
        Assert.DoesNotContain("s1", vocabulary.Words);
        Assert.DoesNotContain("s2", vocabulary.Words);
        Assert.True(vocabulary.Count - 1 <= 3, $"{vocabulary.Count - 1} words kept over the limit of 3");
    }

    [Fact]
    public void Reduce_removes_words_seen_at_most_the_threshold_and_returns_the_next_threshold()
    {
        var counts = new Dictionary<string, long> { ["a"] = 1, ["b"] = 2, ["c"] = 3 };
        Assert.Equal(3, Vocabulary.Reduce(counts, 2));
        Assert.Equal(["c"], counts.Keys);
    }

    [Fact]
    public void A_text_file_read_as_ids_matches_its_tokens_looked_up_one_by_one()
    {
        var folder = Directory.CreateTempSubdirectory("quiver-vocab-").FullName;
        try
        {
            var sentences = SyntheticText.Topics(3, 20, 200, 9, seed: 3);
            sentences.Add(["unknownword", "t0w1"]);
            var corpus = new TextFileCorpus(SyntheticText.WriteFile(folder, sentences));
            var vocabulary = Vocabulary.Build(corpus, minCount: 2);
            for (var parts = 1; parts <= 3; parts++)
            {
                var expected = Enumerable.Range(0, parts)
                    .SelectMany(p => corpus.Read(p, parts).Select(s => s.Select(vocabulary.IdOf).Where(id => id >= 0).ToArray())).ToList();
                var actual = Enumerable.Range(0, parts)
                    .SelectMany(p => corpus.ReadIds(p, parts, vocabulary).Select(s => s.ToArray())).ToList();
                Assert.Equal(expected, actual);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
