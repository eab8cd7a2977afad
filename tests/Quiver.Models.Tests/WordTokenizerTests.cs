using Quiver.Models.Tokenization;

namespace Quiver.Models.Tests;

public sealed class WordTokenizerTests
{
    private static readonly WordTokenizer Tokenizer = new();

    [Fact]
    public void Words_are_lower_cased()
    {
        Assert.Equal(["hello", "world"], Texts("Hello WORLD"));
    }

    [Fact]
    public void Lowercase_off_keeps_case()
    {
        var tokenizer = new WordTokenizer(new WordTokenizerOptions { Lowercase = false });
        Assert.Equal(["Hello", "WORLD", "Do", "n't"], tokenizer.Tokenize("Hello WORLD Don't").Select(t => t.Text));
    }

    [Fact]
    public void Punctuation_is_split_off_as_its_own_tokens()
    {
        var tokens = Tokenizer.Tokenize("Hello, world! (Really?) \"yes\"...");
        Assert.Equal(["hello", ",", "world", "!", "(", "really", "?", ")", "\"", "yes", "\"", "..."], tokens.Select(t => t.Text));
        Assert.Equal(
            [WordTokenKind.Word, WordTokenKind.Punctuation, WordTokenKind.Word, WordTokenKind.Punctuation, WordTokenKind.Punctuation, WordTokenKind.Word],
            tokens.Take(6).Select(t => t.Kind));
        Assert.Equal(WordTokenKind.Punctuation, tokens[^1].Kind);
    }

    [Fact]
    public void Double_hyphen_is_one_punctuation_token()
    {
        Assert.Equal(["wait", "--", "what"], Texts("wait--what"));
    }

    [Theory]
    [InlineData("don't", "do", "n't")]
    [InlineData("it's", "it", "'s")]
    [InlineData("we'll", "we", "'ll")]
    [InlineData("can't", "ca", "n't")]
    [InlineData("I'm", "i", "'m")]
    [InlineData("they're", "they", "'re")]
    [InlineData("you've", "you", "'ve")]
    [InlineData("she'd", "she", "'d")]
    [InlineData("John's", "john", "'s")]
    public void Contractions_are_split_the_treebank_way(string text, string first, string second)
    {
        var tokens = Tokenizer.Tokenize(text);
        Assert.Equal([first, second], tokens.Select(t => t.Text));
        Assert.All(tokens, t => Assert.Equal(WordTokenKind.Word, t.Kind));
    }

    [Fact]
    public void Contractions_are_kept_whole_when_splitting_is_off()
    {
        var tokenizer = new WordTokenizer(new WordTokenizerOptions { SplitContractions = false });
        Assert.Equal(["don't", "it's"], tokenizer.Tokenize("don't it's").Select(t => t.Text));
    }

    [Fact]
    public void Inner_apostrophes_that_are_not_clitics_stay_in_the_word()
    {
        Assert.Equal(["o'clock", "rock'n'roll"], Texts("o'clock rock'n'roll"));
    }

    [Theory]
    [InlineData("don\u2019t")]
    [InlineData("don\u2018t")]
    [InlineData("don\u02BCt")]
    public void Typographic_apostrophe_is_folded_to_ascii(string text)
    {
        Assert.Equal(["do", "n't"], Texts(text));
    }

    [Fact]
    public void Typographic_quotes_and_hyphens_are_folded()
    {
        Assert.Equal(["\"", "well-known", "\""], Texts("\u201CWell\u2010known\u201D"));
    }

    [Theory]
    [InlineData("3.14")]
    [InlineData("1,000")]
    [InlineData("1990s")]
    [InlineData("9/11")]
    [InlineData("12:30")]
    [InlineData("-5")]
    [InlineData("42")]
    public void Numbers_keep_their_separators(string number)
    {
        var token = Assert.Single(Tokenizer.Tokenize(number));
        Assert.Equal(number, token.Text);
        Assert.Equal(WordTokenKind.Number, token.Kind);
    }

    [Fact]
    public void Number_at_the_end_of_a_sentence_leaves_the_full_stop()
    {
        var tokens = Tokenizer.Tokenize("It costs 3.50, or 1,000 in total.");
        Assert.Equal(["it", "costs", "3.50", ",", "or", "1,000", "in", "total", "."], tokens.Select(t => t.Text));
        Assert.Equal(WordTokenKind.Number, tokens[2].Kind);
        Assert.Equal(WordTokenKind.Number, tokens[5].Kind);
    }

    [Fact]
    public void Hyphenated_words_are_kept_whole()
    {
        var tokens = Tokenizer.Tokenize("A well-known state-of-the-art co-op.");
        Assert.Equal(["a", "well-known", "state-of-the-art", "co-op", "."], tokens.Select(t => t.Text));
        Assert.Equal(WordTokenKind.Word, tokens[2].Kind);
    }

    [Fact]
    public void Dangling_hyphens_are_punctuation()
    {
        Assert.Equal(["pre", "-", "and", "post", "-", "war"], Texts("pre- and post -war"));
    }

    [Fact]
    public void Unicode_letters_make_words()
    {
        Assert.Equal(["café", "naïve", "ünïcödé"], Texts("Café naïve Ünïcödé"));
        Assert.Equal(["привет", ",", "мир", "!"], Texts("Привет, мир!"));
        Assert.Equal(["東京", "。"], Texts("東京。"));
        Assert.Equal(["straße", "σοφία"], Texts("Straße Σοφία"));
    }

    [Fact]
    public void Decomposed_accents_are_composed()
    {
        var token = Assert.Single(Tokenizer.Tokenize("cafe\u0301"));
        Assert.Equal("café", token.Text);
        Assert.Equal(4, token.Text.Length);
    }

    [Fact]
    public void Compatibility_characters_are_normalised_by_nfkc()
    {
        Assert.Equal(["fine", "office"], Texts("\uFB01ne o\uFB03ce"));
        Assert.Equal(["abc", "123"], Texts("ＡＢＣ １２３"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n\r")]
    public void Empty_or_blank_text_has_no_tokens(string text)
    {
        Assert.Empty(Tokenizer.Tokenize(text));
    }

    [Fact]
    public void Null_text_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => Tokenizer.Tokenize(null!));
    }

    [Fact]
    public void Emoji_is_one_token_not_two_halves_of_a_surrogate_pair()
    {
        var tokens = Tokenizer.Tokenize("good \U0001F600");
        Assert.Equal(["good", "\U0001F600"], tokens.Select(t => t.Text));
        Assert.All(tokens, t => Assert.False(t.Text.Any(char.IsSurrogate) && t.Text.Length == 1, $"lone surrogate token U+{(int)t.Text[0]:X4}"));
    }

    private static string[] Texts(string text) => [.. Tokenizer.Tokenize(text).Select(t => t.Text)];
}
