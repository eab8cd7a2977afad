using Quiver.Models.Static;
using Quiver.Models.Tokenization;

namespace Quiver.Models.Tests;

public sealed class StaticEmbedderTests
{
    private static readonly WordVectors Vocabulary = BuildVocabulary();

    private readonly StaticEmbedder _mean = new(Vocabulary, StaticPooling.Mean);

    [Fact]
    public void Mean_pooling_is_the_normalised_average_of_the_known_words_vectors()
    {
        var embedding = _mean.Embed("The cat sat on the mat.");
        var expected = Average("the", "cat", "sat", "on", "the", "mat");
        Assert.True(TestVectors.MaxAbsDifference(embedding.Vector, expected) <= 1e-6);
        Assert.Equal(6, embedding.WordCount);
        Assert.Equal(6, embedding.KnownCount);
        Assert.Equal(0, embedding.UnknownCount);
        Assert.Empty(embedding.Unknown);
    }

    [Fact]
    public void Output_is_unit_length()
    {
        foreach (var text in new[] { "cat", "the the the", "dog on mat", "ice-cream and cat" })
        {
            Assert.Equal(1.0, TestVectors.Norm(_mean.Embed(text).Vector), 5);
        }
    }

    [Fact]
    public void Punctuation_is_not_pooled_nor_counted()
    {
        var plain = _mean.Embed("cat sat");
        var punctuated = _mean.Embed("\"Cat, sat!!\" (...)");
        Assert.Equal(plain.Vector, punctuated.Vector);
        Assert.Equal(2, punctuated.WordCount);
        Assert.Empty(punctuated.Unknown);
    }

    [Fact]
    public void Text_is_lower_cased_before_lookup()
    {
        Assert.Equal(_mean.Embed("cat dog").Vector, _mean.Embed("CAT Dog").Vector);
    }

    [Fact]
    public void Unknown_words_are_counted_and_listed_and_left_out()
    {
        var embedding = _mean.Embed("the cat xylophone zzz");
        Assert.Equal(4, embedding.WordCount);
        Assert.Equal(2, embedding.KnownCount);
        Assert.Equal(2, embedding.UnknownCount);
        Assert.Equal(["xylophone", "zzz"], embedding.Unknown);
        Assert.Equal(_mean.Embed("the cat").Vector, embedding.Vector);
    }

    [Fact]
    public void Hyphenated_unknown_word_falls_back_to_its_known_parts()
    {
        var embedding = _mean.Embed("ice-cream");
        Assert.True(TestVectors.MaxAbsDifference(embedding.Vector, Average("ice", "cream")) <= 1e-6);
        Assert.Equal(1, embedding.WordCount);
        Assert.Equal(1, embedding.KnownCount);
        Assert.Empty(embedding.Unknown);

        var sentence = _mean.Embed("dog ice-cream");
        Assert.True(TestVectors.MaxAbsDifference(sentence.Vector, Average("dog", "ice", "cream")) <= 1e-6);
    }

    [Fact]
    public void Hyphenated_word_with_an_unknown_part_is_unknown_as_a_whole()
    {
        var embedding = _mean.Embed("cat ice-xyz");
        Assert.Equal(["ice-xyz"], embedding.Unknown);
        Assert.Equal(1, embedding.KnownCount);
        Assert.Equal(_mean.Embed("cat").Vector, embedding.Vector);
    }

    [Fact]
    public void Hyphenated_word_in_the_vocabulary_uses_its_own_vector()
    {
        var embedding = _mean.Embed("well-known");
        Assert.True(TestVectors.MaxAbsDifference(embedding.Vector, Average("well-known")) <= 1e-6);
        Assert.True(TestVectors.MaxAbsDifference(embedding.Vector, Average("well", "known")) > 1e-2);
    }

    [Fact]
    public void Numbers_in_the_vocabulary_are_pooled()
    {
        var embedding = _mean.Embed("cat 1990s");
        Assert.Equal(2, embedding.KnownCount);
        Assert.True(TestVectors.MaxAbsDifference(embedding.Vector, Average("cat", "1990s")) <= 1e-6);
    }

    [Fact]
    public void Text_with_no_known_word_throws_naming_the_unknown_words()
    {
        var e = Assert.Throws<NoKnownWordsException>(() => _mean.Embed("Foo bar, baz!"));
        Assert.Equal(["foo", "bar", "baz"], e.Unknown);
        Assert.Equal("Foo bar, baz!", e.Text);
        Assert.Contains("foo, bar, baz", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_lists_at_most_eight_unknown_words()
    {
        var text = string.Join(' ', Enumerable.Range(0, 12).Select(i => $"zz{i}"));
        var e = Assert.Throws<NoKnownWordsException>(() => _mean.Embed(text));
        Assert.Equal(12, e.Unknown.Count);
        Assert.Contains("(unknown: zz0, zz1, zz2, zz3, zz4, zz5, zz6, zz7, ...)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("?! ...")]
    public void Text_with_no_words_at_all_throws(string text)
    {
        var e = Assert.Throws<NoKnownWordsException>(() => _mean.Embed(text));
        Assert.Empty(e.Unknown);
        Assert.Contains("no words at all", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Known_words_whose_vectors_cancel_out_are_not_reported_as_unknown()
    {
        // "up" and "down" are both in the vocabulary; their mean is the zero vector, which has no direction. Whatever
        // the embedder does with it, it must not say that the text has no known words, or no words at all.
        var vectors = TestVectors.FromRows(("up", [1, 0]), ("down", [-1, 0]));
        var embedder = new StaticEmbedder(vectors, StaticPooling.Mean);
        var e = Record.Exception(() => embedder.Embed("up down"));
        Assert.NotNull(e);
        Assert.IsNotType<NoKnownWordsException>(e);
    }

    [Fact]
    public void Tokenizer_that_keeps_case_matches_cased_vocabularies()
    {
        var vectors = TestVectors.FromRows(("Paris", [1, 0]), ("paris", [0, 1]));
        var cased = new StaticEmbedder(vectors, StaticPooling.Mean, tokenizer: new WordTokenizer(new WordTokenizerOptions { Lowercase = false }));
        Assert.Equal([1f, 0f], cased.Embed("Paris").Vector);
        Assert.Equal([0f, 1f], new StaticEmbedder(vectors, StaticPooling.Mean).Embed("Paris").Vector);
    }

    [Fact]
    public void Common_component_of_the_wrong_dimension_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new StaticEmbedder(Vocabulary, StaticPooling.Sif, new SifParameters(1e-3f, [1, 0], "test")));
        Assert.Contains("2 dimensions", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mean_pooling_ignores_the_common_component()
    {
        var component = TestVectors.Unit(Vocabulary.Vector("cat")).Select(x => (float)x).ToArray();
        var withComponent = new StaticEmbedder(Vocabulary, StaticPooling.Mean, new SifParameters(1e-3f, component, "test"));
        Assert.Equal(_mean.Embed("the cat sat").Vector, withComponent.Embed("the cat sat").Vector);
    }

    private static double[] Average(params string[] words)
    {
        var sum = new double[Vocabulary.Dimensions];
        foreach (var word in words)
        {
            var v = Vocabulary.Vector(word);
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += v[i];
            }
        }

        return TestVectors.Unit(sum.Select(x => x / words.Length).ToArray());
    }

    private static WordVectors BuildVocabulary()
    {
        // Punctuation has vectors too, as in GloVe, so pooling it by mistake would show.
        string[] words = ["the", ",", ".", "cat", "sat", "on", "mat", "dog", "ice", "cream", "well", "known", "well-known", "and", "1990s", "!", "\"", "(", ")", "..."];
        var random = TestVectors.Random(words.Length, 6, seed: 31);
        return new WordVectors(words, random.Table.ToArray(), 6);
    }
}
