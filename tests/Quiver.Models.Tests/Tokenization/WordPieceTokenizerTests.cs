using Quiver.Core;
using Quiver.Models.Tokenization;

namespace Quiver.Models.Tests.Tokenization;

public sealed class WordPieceTokenizerTests
{
    // The pieces the edge cases below need, with shorter and longer neighbours (un/una, ##f/##ffa, ##b/##ble ...) so
    // that only a greedy longest-match-first split, after BERT's normalisation, gives the expected tokens.
    private static readonly WordPieceTextTokenizer EdgeCases = new(TestVocabulary.Bert(
    [
        "hello", "hell", "cafe", "caf", "naive", "playing", "play", "##ing", "un", "una", "##f", "##ffa", "##b", "##ble",
        "日", "本", "語", "$", "5", "+", "3", "=", "8", "tab", "here", "new", "line", "x", "y", "zero", "##w", "##wi", "##d",
        "##dt", "##h", "c", "ct", "##rl", "##c", "##cha", "##r", "lone", "s", "su", "sur", "##rogate", "[", "]", "cl", "##s",
        "i", "you", "cost", "##€", "a", "##a",
    ]));

    private static string[] Tokens(string text) => [.. EdgeCases.EncodeContent(text).Select(EdgeCases.TokenOf)];

    [Fact]
    [Trait("Needs", "npm")]
    public void The_npm_vocabulary_converts_to_bert_base_uncased_ids()
    {
        var vocabulary = BertVocabulary.Vocabulary;
        Assert.Equal(30_522, vocabulary.Count);
        Assert.Equal("[PAD]", vocabulary.Tokens[0]);
        Assert.Equal("[unused0]", vocabulary.Tokens[1]);
        Assert.Equal(100, vocabulary.IdOf("[UNK]"));
        Assert.Equal(101, vocabulary.IdOf("[CLS]"));
        Assert.Equal(102, vocabulary.IdOf("[SEP]"));
        Assert.Equal(1996, vocabulary.IdOf("the"));
        Assert.Equal("##s", vocabulary.Tokens[2015]);
    }

    [Fact]
    public void Word_start_marks_become_wordpiece_prefixes()
    {
        var vocabulary = WordPieceVocabulary.FromWordStartMarked(["[PAD]", "\u2581", "\u2581play", "ing", "[UNK]", "\u2581!"]);
        Assert.Equal(["[PAD]", "[unused0]", "play", "##ing", "[UNK]", "!"], vocabulary.Tokens);
    }

    [Fact]
    [Trait("Needs", "npm")]
    public void A_plain_sentence_gets_the_known_ids()
    {
        var tokenizer = BertVocabulary.Tokenizer();
        Assert.Equal([1037, 2158, 2007, 1037, 2524, 6045, 2003, 5613, 1012], tokenizer.EncodeContent("A man with a hard hat is dancing."));
    }

    [Theory]
    [InlineData("Héllo CAFÉ naïve", new[] { "hello", "cafe", "naive" })]
    [InlineData("playing unaffable", new[] { "playing", "una", "##ffa", "##ble" })]
    [InlineData("日本語", new[] { "日", "本", "語" })]
    [InlineData("$5+3=8", new[] { "$", "5", "+", "3", "=", "8" })]
    [InlineData("tab\there\nnew\u00a0line\u3000x", new[] { "tab", "here", "new", "line", "x" })]
    [InlineData("zero\u200bwidth", new[] { "zero", "##wi", "##dt", "##h" })]
    [InlineData("ctrl\u0007\u0000char", new[] { "ct", "##rl", "##cha", "##r" })]
    [InlineData("lone \ud800 surrogate", new[] { "lone", "sur", "##rogate" })]
    [InlineData("x[MASK]y [cls]", new[] { "x", "[MASK]", "y", "[", "cl", "##s", "]" })]
    [InlineData("", new string[0])]
    [InlineData("   \t\n  ", new string[0])]
    public void Edge_cases_tokenise_as_bert_does(string text, string[] expected) => Assert.Equal(expected, Tokens(text));

    [Fact]
    public void Emoji_and_symbols_glue_to_their_word_and_unknown_words_become_unk()
    {
        Assert.Equal(["i", "[UNK]", "you"], Tokens("I 😀 you"));
        Assert.Equal(["cost", "##€"], Tokens("cost€"));
    }

    [Fact]
    public void Words_over_100_characters_become_one_unknown_token()
    {
        Assert.Equal("[UNK]", Assert.Single(Tokens(new string('a', 101))));
        Assert.DoesNotContain("[UNK]", Tokens(new string('a', 100)));

        // The limit counts code points, not UTF-16 units: 60 emoji are 120 units but under the limit.
        Assert.Equal("[UNK]", Assert.Single(Tokens(string.Concat(Enumerable.Repeat("😀", 60)))));
    }

    [Theory]
    [InlineData("ΟΔΟΣ", "οδος")]
    [InlineData("ΣΑ Σ", "σα σ")]
    [InlineData("ΑΣ.", "ας.")]
    [InlineData("İstanbul", "i\u0307stanbul")]
    [InlineData("ǅ", "ǆ")]
    public void Lowercasing_follows_javascript(string text, string expected) =>
        Assert.Equal(expected, BertTextNormalizer.JavaScriptLowercase(text));

    [Fact]
    public void Tokenizer_json_round_trips()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("tokenizer.json");
        TokenizerJson.Write(path, TestVocabulary.Standard, new WordPieceTokenizerOptions());
        var read = TokenizerJson.Read(path);
        Assert.Equal(101, read.StartTokenId);
        Assert.Equal(102, read.EndTokenId);
        Assert.Equal(0, read.PadTokenId);
        const string text = "Héllo, wörld! [MASK] 日本 supercalifragilistic";
        Assert.Equal(new WordPieceTextTokenizer(TestVocabulary.Standard).EncodeContent(text), read.EncodeContent(text));
    }

    [Fact]
    public void A_cased_tokenizer_keeps_case_and_accents()
    {
        var vocabulary = new WordPieceVocabulary(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "Héllo", "hello", "##!"]);
        var tokenizer = new WordPieceTextTokenizer(vocabulary, new WordPieceTokenizerOptions { Normalization = new BertNormalizationOptions { Lowercase = false } });
        Assert.Equal([4, 1], tokenizer.EncodeContent("Héllo Hello"));
    }

    [Fact]
    public void A_bpe_tokenizer_json_is_refused_by_name()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("tokenizer.json"), """{"model":{"type":"BPE","vocab":{},"merges":[]}}""");
        var error = Assert.Throws<QuiverException>(() => TokenizerJson.Read(folder.File("tokenizer.json")));
        Assert.Contains("BPE", error.Message);
        Assert.Contains("WordPiece", error.Message);
    }

    [Fact]
    public void A_vocabulary_without_the_unknown_token_is_refused()
    {
        var error = Assert.Throws<QuiverException>(() => new WordPieceTextTokenizer(new WordPieceVocabulary(["[PAD]", "[CLS]", "[SEP]", "a"])));
        Assert.Contains("[UNK]", error.Message);
    }

    [Fact]
    public void Encoding_is_thread_safe()
    {
        var tokenizer = new WordPieceTextTokenizer(TestVocabulary.Standard);
        var texts = Enumerable.Range(0, 200).Select(i => $"Sentence number {i} with naïve words and 日本 {new string('x', i % 120)}").ToArray();
        var expected = texts.Select(t => tokenizer.EncodeContent(t).ToArray()).ToArray();
        Parallel.For(0, 2000, i => Assert.Equal(expected[i % texts.Length], tokenizer.EncodeContent(texts[i % texts.Length])));
    }
}
