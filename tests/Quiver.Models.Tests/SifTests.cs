using Quiver.Core;
using Quiver.Models.Static;

namespace Quiver.Models.Tests;

public sealed class SifTests
{
    private static readonly WordVectors Vocabulary = TestVectors.Random(10, 6, seed: 41);

    [Fact]
    public void Rank_frequencies_follow_zipf_with_the_harmonic_number()
    {
        var frequencies = WordFrequencies.FromRanks(10);
        var harmonic = Enumerable.Range(1, 10).Sum(r => 1.0 / r);
        for (var rank = 0; rank < 10; rank++)
        {
            Assert.Equal(1.0 / ((rank + 1) * harmonic), frequencies.Probability(rank), 12);
        }

        Assert.Equal(1.0, Enumerable.Range(0, 10).Sum(frequencies.Probability), 12);
        Assert.False(frequencies.FromCounts);
    }

    [Fact]
    public void Count_frequencies_are_counts_over_the_total()
    {
        var frequencies = WordFrequencies.FromCountsOf([50, 30, 20]);
        Assert.True(frequencies.FromCounts);
        Assert.Equal(0.5, frequencies.Probability(0), 12);
        Assert.Equal(0.2, frequencies.Probability(2), 12);
        Assert.Throws<ArgumentException>(() => WordFrequencies.FromCountsOf([0, 0]));
    }

    [Fact]
    public void Sif_weighs_each_word_a_over_a_plus_its_probability()
    {
        foreach (var a in new[] { 1e-3f, 0.05f })
        {
            var embedder = new StaticEmbedder(Vocabulary, StaticPooling.Sif, new SifParameters(a, null, "none"), WordFrequencies.FromRanks(10));
            var expected = WeightedAverage(a, ["w0", "w3", "w9", "w3"]);
            var pooled = embedder.Pool("w0 w3 w9 w3", out var words, out var known, out var unknown);
            Assert.True(TestVectors.MaxAbsDifference(pooled, expected) <= 1e-6, $"a = {a}");
            Assert.Equal(4, words);
            Assert.Equal(4, known);
            Assert.Empty(unknown);

            var embedding = embedder.Embed("w0 w3 w9 w3");
            Assert.True(TestVectors.MaxAbsDifference(embedding.Vector, TestVectors.Unit(expected)) <= 1e-6, $"a = {a}");
        }
    }

    [Fact]
    public void Sif_uses_rank_frequencies_of_the_vocabulary_by_default()
    {
        var byDefault = new StaticEmbedder(Vocabulary, StaticPooling.Sif);
        var explicitly = new StaticEmbedder(Vocabulary, StaticPooling.Sif, frequencies: WordFrequencies.FromRanks(Vocabulary.Count));
        Assert.Equal(explicitly.Embed("w0 w5 w8").Vector, byDefault.Embed("w0 w5 w8").Vector);
    }

    [Fact]
    public void Sif_gives_frequent_words_less_weight()
    {
        var sif = new StaticEmbedder(Vocabulary, StaticPooling.Sif);
        var mean = new StaticEmbedder(Vocabulary, StaticPooling.Mean);
        var sifVector = sif.Embed("w0 w9").Vector;
        var meanVector = mean.Embed("w0 w9").Vector;

        // Under SIF the rare word (rank 9) dominates; the plain mean sits between the two.
        Assert.True(TestVectors.Cosine(sifVector, Vocabulary.Vector("w9")) > TestVectors.Cosine(meanVector, Vocabulary.Vector("w9")));
        Assert.True(TestVectors.Cosine(sifVector, Vocabulary.Vector("w0")) < TestVectors.Cosine(meanVector, Vocabulary.Vector("w0")));

        var frequencies = WordFrequencies.FromRanks(10);
        const double a = SifParameters.DefaultA;
        Assert.True(a / (a + frequencies.Probability(0)) < a / (a + frequencies.Probability(9)));
    }

    [Fact]
    public void Sif_with_one_word_is_that_words_direction()
    {
        var sif = new StaticEmbedder(Vocabulary, StaticPooling.Sif);
        Assert.True(TestVectors.MaxAbsDifference(sif.Embed("w4").Vector, TestVectors.Unit(Vocabulary.Vector("w4"))) <= 1e-6);
    }

    [Fact]
    public void Common_component_removal_leaves_the_output_orthogonal_to_it()
    {
        var random = new Random(42);
        var u = TestVectors.Unit(Enumerable.Range(0, 6).Select(_ => TestVectors.Gaussian(random)).ToArray()).Select(x => (float)x).ToArray();
        var embedder = new StaticEmbedder(Vocabulary, StaticPooling.Sif, new SifParameters(1e-3f, u, "test"));

        foreach (var text in new[] { "w0 w1 w2", "w9", "w3 w3 w7 w8 w5" })
        {
            var output = embedder.Embed(text).Vector;
            Assert.True(Math.Abs(TestVectors.Dot(output, u)) < 1e-5, $"'{text}': u·output = {TestVectors.Dot(output, u)}");
            Assert.Equal(1.0, TestVectors.Norm(output), 5);

            // By hand: v − (u·v) u, then normalised, with v the SIF-weighted average.
            var v = WeightedAverage(1e-3f, text.Split(' '));
            var projection = TestVectors.Dot(v, u.Select(x => (double)x).ToArray());
            var expected = TestVectors.Unit(v.Select((x, i) => x - (projection * u[i])).ToArray());
            Assert.True(TestVectors.MaxAbsDifference(output, expected) <= 1e-5, $"'{text}'");
        }
    }

    [Fact]
    public void Removing_the_component_changes_the_vector()
    {
        var u = TestVectors.Unit(Vocabulary.Vector("w1")).Select(x => (float)x).ToArray();
        var without = new StaticEmbedder(Vocabulary, StaticPooling.Sif).Embed("w1 w2").Vector;
        var with = new StaticEmbedder(Vocabulary, StaticPooling.Sif, new SifParameters(1e-3f, u, "test")).Embed("w1 w2").Vector;
        Assert.True(TestVectors.MaxAbsDifference(with, without.Select(x => (double)x).ToArray()) > 1e-2);
    }

    [Fact]
    public void Fit_recovers_a_dominant_direction_shared_by_the_sentences()
    {
        var (vectors, direction) = VocabularyWithDominantDirection();
        var sif = SifFitter.Fit(vectors, SifFitter.ZipfSentences(vectors, 2000), "zipf");

        Assert.NotNull(sif.CommonComponent);
        Assert.Equal(vectors.Dimensions, sif.CommonComponent.Length);
        Assert.Equal(1.0, TestVectors.Norm(sif.CommonComponent), 5);
        var cosine = Math.Abs(TestVectors.Dot(TestVectors.Unit(sif.CommonComponent), direction));
        Assert.True(cosine > 0.99, $"|cos| = {cosine}");
        Assert.Equal(SifParameters.DefaultA, sif.A);
        Assert.Equal("zipf (2000 sentences)", sif.FittedOn);
    }

    [Fact]
    public void Fit_is_the_first_singular_vector_of_the_sentence_matrix()
    {
        // Against an independent computation: power iteration in double on the pooled sentence vectors.
        var vectors = TestVectors.Random(60, 5, seed: 43);
        var sentences = SifFitter.ZipfSentences(vectors, 300, seed: 3).ToList();
        var embedder = new StaticEmbedder(vectors, StaticPooling.Sif, new SifParameters(0.01f, null, "none"));
        var rows = sentences.Select(s => embedder.Pool(s, out _, out _, out _).Select(x => (double)x).ToArray()).ToList();
        var v = TestVectors.Unit(Enumerable.Repeat(1.0, 5).ToArray());
        for (var iteration = 0; iteration < 5000; iteration++)
        {
            var next = new double[5];
            foreach (var row in rows)
            {
                var p = TestVectors.Dot(row, v);
                for (var i = 0; i < 5; i++)
                {
                    next[i] += p * row[i];
                }
            }

            v = TestVectors.Unit(next);
        }

        var sif = SifFitter.Fit(vectors, sentences, "test", a: 0.01f);
        var cosine = Math.Abs(TestVectors.Dot(TestVectors.Unit(sif.CommonComponent!), v));
        Assert.True(cosine > 0.9999, $"|cos| = {cosine}");
        Assert.Equal(0.01f, sif.A);
    }

    [Fact]
    public void Fit_skips_sentences_with_no_known_word()
    {
        var (vectors, direction) = VocabularyWithDominantDirection();
        var sentences = SifFitter.ZipfSentences(vectors, 500).Concat(["unknown words only", string.Empty, "!!"]);
        var sif = SifFitter.Fit(vectors, sentences, "mixed");
        Assert.Equal("mixed (500 sentences)", sif.FittedOn);
        Assert.True(Math.Abs(TestVectors.Dot(TestVectors.Unit(sif.CommonComponent!), direction)) > 0.99);
    }

    [Fact]
    public void Fit_on_sentences_without_known_words_is_refused()
    {
        var e = Assert.Throws<QuiverException>(() => SifFitter.Fit(Vocabulary, ["nothing known here"], "empty corpus"));
        Assert.Contains("'empty corpus'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zipf_sentences_are_deterministic_for_a_seed()
    {
        var vectors = TestVectors.Random(500, 2, seed: 44);
        var first = SifFitter.ZipfSentences(vectors, 50, seed: 7).ToList();
        var second = SifFitter.ZipfSentences(vectors, 50, seed: 7).ToList();
        var other = SifFitter.ZipfSentences(vectors, 50, seed: 8).ToList();
        Assert.Equal(50, first.Count);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Zipf_sentences_draw_frequent_words_more_often()
    {
        var vectors = TestVectors.Random(500, 2, seed: 45);
        var words = SifFitter.ZipfSentences(vectors, 400).SelectMany(s => s.Split(' ')).ToList();
        var lengths = SifFitter.ZipfSentences(vectors, 400).Select(s => s.Split(' ').Length).ToList();
        Assert.All(lengths, n => Assert.InRange(n, 8, 29));
        Assert.All(words, w => Assert.True(vectors.Contains(w), w));
        var counts = words.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());
        var top = counts.GetValueOrDefault("w0");
        var tail = Enumerable.Range(100, 100).Sum(r => counts.GetValueOrDefault($"w{r}")) / 100.0;
        Assert.True(top > 20 * tail, $"w0 drawn {top} times, ranks 100-199 {tail} on average");
    }

    [Fact]
    public void Zipf_sentences_stay_within_the_maximum_rank()
    {
        var vectors = TestVectors.Random(500, 2, seed: 46);
        var words = SifFitter.ZipfSentences(vectors, 200, maxRank: 20).SelectMany(s => s.Split(' '));
        Assert.All(words, w => Assert.InRange(vectors.RankOf(w), 0, 19));
    }

    private static double[] WeightedAverage(float a, string[] words)
    {
        var frequencies = WordFrequencies.FromRanks(Vocabulary.Count);
        var sum = new double[Vocabulary.Dimensions];
        double weights = 0;
        foreach (var word in words)
        {
            var rank = Vocabulary.RankOf(word);
            var p = 1.0 / ((rank + 1) * Enumerable.Range(1, Vocabulary.Count).Sum(r => 1.0 / r));
            Assert.Equal(p, frequencies.Probability(rank), 12);
            var weight = a / (a + p);
            weights += weight;
            var v = Vocabulary.Vector(rank);
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += weight * v[i];
            }
        }

        return sum.Select(x => x / weights).ToArray();
    }

    private static (WordVectors Vectors, double[] Direction) VocabularyWithDominantDirection()
    {
        const int count = 300;
        const int dimensions = 10;
        var random = new Random(47);
        var direction = TestVectors.Unit(Enumerable.Range(0, dimensions).Select(_ => TestVectors.Gaussian(random)).ToArray());
        var table = new float[count * dimensions];
        for (var w = 0; w < count; w++)
        {
            var scale = 3 * (1 + (0.1 * TestVectors.Gaussian(random)));
            for (var i = 0; i < dimensions; i++)
            {
                table[(w * dimensions) + i] = (float)((scale * direction[i]) + (0.3 * TestVectors.Gaussian(random)));
            }
        }

        return (new WordVectors(Enumerable.Range(0, count).Select(i => $"w{i}").ToArray(), table, dimensions), direction);
    }
}
