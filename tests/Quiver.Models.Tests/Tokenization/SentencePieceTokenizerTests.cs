using System.Globalization;
using System.Text;
using Quiver.Core;
using Quiver.Catalogue;
using Quiver.Models.Tests.Reference;
using Quiver.Models.Tokenization;

namespace Quiver.Models.Tests.Tokenization;

public sealed class SentencePieceTokenizerTests
{
    // USE's reserved pieces, ids 0 to 5; the pieces a test gives start at id 6.
    private static readonly string[] Reserved = ["\uFFFD", "<s>", "</s>", "extra_token_id_1", "extra_token_id_2", "extra_token_id_3"];

    private static SentencePieceTextTokenizer Tokenizer(params (string Piece, double Score)[] pieces) =>
        new(new SentencePieceVocabulary([.. Reserved, .. pieces.Select(p => p.Piece)], [.. Reserved.Select(_ => 0.0), .. pieces.Select(p => p.Score)]));

    [Fact]
    public void Viterbi_picks_the_best_scoring_segmentation()
    {
        // "ab" becomes ▁ab: ▁ + ab scores -2.5, ▁ab -4, ▁ + a + b -3.
        var tokenizer = Tokenizer(("\u2581", -1), ("a", -1), ("b", -1), ("ab", -1.5), ("\u2581ab", -4));
        Assert.Equal([6, 9], tokenizer.EncodeContent("ab"));
    }

    [Fact]
    public void A_tie_goes_to_the_segmentation_whose_last_piece_starts_later()
    {
        // ▁a and ▁ + a both score -2; the reference keeps the later candidate for an end (score >= best).
        Assert.Equal([6, 7], Tokenizer(("\u2581", -1), ("a", -1), ("\u2581a", -2)).EncodeContent("a"));
        Assert.Equal([8], Tokenizer(("\u2581", -1), ("a", -1), ("\u2581a", -1.999)).EncodeContent("a"));
    }

    [Fact]
    public void Unknown_characters_become_id_0_and_consecutive_ones_merge()
    {
        var tokenizer = Tokenizer(("\u2581", -1), ("a", -1));
        Assert.Equal([6, 7, 0, 7], tokenizer.EncodeContent("axyza"));
        Assert.Equal([6, 0, 7, 0], tokenizer.EncodeContent("xax"));
        Assert.Equal([6, 0, 6, 7], tokenizer.EncodeContent("x a"));
        Assert.Equal([6, 0], tokenizer.EncodeContent("日本語"));
    }

    [Fact]
    public void Symbols_are_utf16_units_so_an_emoji_is_two()
    {
        Assert.Equal([6, 7, 0], Tokenizer(("\u2581", -1), ("a", -1)).EncodeContent("a😀"));

        // A piece that is only the high surrogate matches the emoji's first unit; the second is unknown.
        Assert.Equal([6, 7, 0], Tokenizer(("\u2581", -1), ("\ud83d", -1)).EncodeContent("😀"));

        // A piece for the whole emoji loses: no piece ends between its two units, so that position is unreached
        // (best 0) and the unknown low surrogate from it ends with 0, better than the piece's -2.
        Assert.Equal([6, 0], Tokenizer(("\u2581", -1), ("😀", -1)).EncodeContent("😀"));
    }

    [Fact]
    public void The_empty_string_has_no_pieces_and_every_space_is_a_word_start()
    {
        var tokenizer = Tokenizer(("\u2581", -1), ("a", -1), ("\u2581b", -1), ("b", -1));
        Assert.Empty(tokenizer.EncodeContent(string.Empty));
        Assert.Equal([6, 6], tokenizer.EncodeContent(" "));
        Assert.Equal([6, 6], tokenizer.EncodeContent("\u2581"));
        Assert.Equal([6, 7, 6, 8], tokenizer.EncodeContent("a  b"));

        // Only U+0020 becomes ▁; a tab is an ordinary (here unknown) symbol.
        Assert.Equal([6, 7, 0, 7], tokenizer.EncodeContent("a\ta"));
    }

    [Fact]
    public void Text_is_nfkc_normalised_first()
    {
        var tokenizer = Tokenizer(
            ("\u2581", -1), ("fi", -1), ("AB", -1), ("\u00e9", -1), ("\u2581x", -1), ("f", -2), ("i", -2), ("A", -2), ("B", -2), ("x", -2));
        Assert.Equal([6, 7], tokenizer.EncodeContent("\ufb01"));
        Assert.Equal([6, 8], tokenizer.EncodeContent("\uff21\uff22"));
        Assert.Equal([6, 9], tokenizer.EncodeContent("e\u0301"));

        // NFKC turns a no-break space and an ideographic space into U+0020, which then marks a word start.
        Assert.Equal([6, 9, 10, 10], tokenizer.EncodeContent("\u00e9\u00a0x\u3000x"));
    }

    [Fact]
    public void Lone_surrogates_and_U_FFFE_pass_normalisation_unchanged_and_block_composition()
    {
        var tokenizer = Tokenizer(("\u2581", -1), ("e", -1), ("\u0301", -1), ("\u00e9", -1));
        Assert.Equal([6, 9], tokenizer.EncodeContent("e\u0301"));
        Assert.Equal([6, 7, 0, 8], tokenizer.EncodeContent("e\ud800\u0301"));
        Assert.Equal([6, 0], tokenizer.EncodeContent("\udfff\ud800"));

        // U+FFFE too: .NET refuses to normalise it, JavaScript keeps it.
        Assert.Equal([6, 9, 0, 8], tokenizer.EncodeContent("e\u0301\ufffe\u0301"));
    }

    [Fact]
    public void An_end_whose_best_score_is_exactly_0_counts_as_unreached()
    {
        // ▁ + ab reaches the end with -1 + 1 = 0, so the reference replaces it with the worse ▁ + a + b (-7).
        var tokenizer = Tokenizer(("\u2581", -1), ("a", -1), ("b", -5), ("ab", 1));
        Assert.Equal([6, 7, 8], tokenizer.EncodeContent("ab"));
    }

    [Fact]
    public void A_position_no_piece_ends_at_is_free_to_start_from_and_stepped_over_as_unknown()
    {
        // ▁ab: nothing ends after ▁, so ab starts there with score 0 (-10 in all) and beats ▁a + b (-21); going back,
        // the unreached ▁ comes out as the unknown id.
        var tokenizer = Tokenizer(("\u2581a", -1), ("ab", -10), ("b", -20));
        Assert.Equal([0, 7], tokenizer.EncodeContent("ab"));
    }

    [Fact]
    public void A_piece_loses_to_an_unknown_symbol_that_starts_where_no_piece_ends()
    {
        // ▁fi: nothing ends after f and no piece starts at i, so the unknown i ends with 0 and beats fi (-2).
        Assert.Equal([6, 0], Tokenizer(("\u2581", -1), ("fi", -1)).EncodeContent("\ufb01"));

        // An unknown adds 0, so it ties with real pieces: ▁ a ▁ ▁b and ▁ a ▁ ▁ plus an unknown b both score -4.
        Assert.Equal([6, 7, 6, 6, 0], Tokenizer(("\u2581", -1), ("a", -1), ("\u2581b", -1)).EncodeContent("a  b"));
    }

    [Fact]
    public void The_backward_pass_steps_over_an_unknown_by_the_unknown_pieces_length()
    {
        // With a three-character unknown piece, going back from the unknown x skips ▁ as well, as in the reference.
        var vocabulary = new SentencePieceVocabulary(["<u>", "\u2581", "a", "b"], [0, -1, -1, -1]);
        Assert.Equal([0, 2, 3], new SentencePieceTextTokenizer(vocabulary, reservedPieces: 1).EncodeContent("xab"));
    }

    [Fact]
    public void A_repeated_piece_matches_with_its_last_id_and_score()
    {
        Assert.Equal([6, 8], Tokenizer(("\u2581", -1), ("a", -1), ("a", -2)).EncodeContent("a"));
        Assert.Equal([6, 8, 7], Tokenizer(("\u2581", -1), ("b", -1), ("a", -3), ("ab", -2.5), ("ab", -9)).EncodeContent("ab"));
    }

    [Fact]
    public void Reserved_pieces_never_match_text()
    {
        Assert.Equal([6, 0], Tokenizer(("\u2581", -1)).EncodeContent("<s>"));
        var vocabulary = new SentencePieceVocabulary(["\uFFFD", "\u2581", "a"], [0, -1, -1]);
        Assert.Equal([1, 2], new SentencePieceTextTokenizer(vocabulary, reservedPieces: 1).EncodeContent("a"));
        Assert.Equal([0], new SentencePieceTextTokenizer(vocabulary, reservedPieces: 3).EncodeContent("a"));
    }

    [Fact]
    public void Ids_are_appended_and_the_interface_describes_use()
    {
        ITextTokenizer tokenizer = Tokenizer(("\u2581", -1), ("a", -1));
        List<int> ids = [42];
        tokenizer.EncodeContent("a", ids);
        Assert.Equal([42, 6, 7], ids);
        Assert.Null(tokenizer.StartTokenId);
        Assert.Null(tokenizer.EndTokenId);
        Assert.Equal(0, tokenizer.PadTokenId);
        Assert.Equal(8, tokenizer.VocabularySize);
        Assert.Equal("\u2581", tokenizer.TokenOf(6));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.TokenOf(8));
    }

    [Fact]
    public void An_empty_unknown_piece_is_refused()
    {
        var error = Assert.Throws<QuiverException>(() => new SentencePieceTextTokenizer(new SentencePieceVocabulary(["", "a"], [0, -1]), reservedPieces: 1));
        Assert.Contains("unknown piece (id 0)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[[\"a\", -1], [\"b\", -2]", "not valid JSON")]
    [InlineData("{\"a\": -1}", "holds a JSON object")]
    [InlineData("[[\"a\", -1], [\"b\"]]", "Entry 1 ")]
    [InlineData("[[\"a\", -1], [\"b\", -2], [3, -2]]", "Entry 2 ")]
    [InlineData("[[\"a\", -1], [\"b\", \"-2\"]]", "Entry 1 ")]
    [InlineData("[[\"a\", -1], [\"\\ud800\", -2]]", "Entry 1 ")]
    [InlineData("[]", "at least one piece")]
    public void A_malformed_vocab_json_names_the_file_and_the_entry(string json, string expected)
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "vocab.json");
        File.WriteAllText(path, json);
        var error = Assert.Throws<QuiverException>(() => SentencePieceVocabulary.ReadUseJson(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vocab_json_reads_pieces_and_scores_in_id_order()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "vocab.json");
        File.WriteAllText(path, "[[\"\\ufffd\", 0], [\"\\u2581the\", -3.56637144089], [\":30\", 30], [\"://\", null]]");
        var vocabulary = SentencePieceVocabulary.ReadUseJson(path);
        Assert.Equal(["\uFFFD", "\u2581the", ":30", "://"], vocabulary.Pieces);
        Assert.Equal([0, -3.56637144089, 30, 0], vocabulary.Scores);
    }

    [Fact]
    [Trait("Needs", "npm")]
    public void The_real_vocabulary_gives_the_known_ids()
    {
        var tokenizer = UseVocabulary.Tokenizer();
        Assert.Equal(UseLitePackage.Pieces, tokenizer.VocabularySize);
        Assert.Equal([341, 4125, 311, 8, 11, 337, 18, 970, 11, 4338, 6], tokenizer.EncodeContent("Hello world, a man is playing a guitar."));
        Assert.Equal("\u2581the", tokenizer.TokenOf(9));
    }

    [Fact]
    public void Tokenising_from_many_threads_gives_the_same_ids()
    {
        // Every printable ASCII character plus a few longer pieces, so the sentences segment into pieces of mixed lengths.
        var tokenizer = Tokenizer(
        [
            ("\u2581", -2), .. Enumerable.Range('!', '~' - '!' + 1).Select(c => (((char)c).ToString(), -3.0 - (c % 7))),
            ("\u2581the", -1.5), ("\u2581a", -1.2), ("ing", -2.5), ("er", -2.2), ("\u2581s", -2.4), ("tion", -2.8),
        ]);
        var sentences = ReferenceSentences.Generate();
        var expected = sentences.Select(tokenizer.EncodeContent).ToArray();
        var parallel = new IReadOnlyList<int>[sentences.Count];
        Parallel.For(0, sentences.Count * 4, i => parallel[i % sentences.Count] = tokenizer.EncodeContent(sentences[i % sentences.Count]));
        for (var i = 0; i < sentences.Count; i++)
        {
            Assert.Equal(expected[i], parallel[i]);
        }
    }

    [Fact]
    [Trait("Needs", "npm")]
    public void Ids_match_the_tensorflow_js_reference_on_hard_sentences()
    {
        string[] useSpecific =
        [
            "He said “5 o'clock” and ”5 again ”5”5", "Meet at 10:30, not 10:00 or :00:30 or ::30::00", ":30:30:30",
            ": :: ::: :) :( :-) ): http://x a:b ▁: :", "::::::::", "(: :) ):(", "Note: see https://example.com:8080/a:b, then 12:00:00 :30:", ":",
            "“Quoted”, ‘single’ — dashes – and … ellipses", "Numbers 1234567890 3.14 -2e10 #1 No. 5",
            "The quick brown fox jumps over the lazy dog.", "Ｔｈｅ ｆｕｌｌ－ｗｉｄｔｈ ｆｏｘ", "ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ ǲ ㍱ ㎒", "e\u0301\ufffe\u0301 \uffff\ufffe\ud800\u0301 \U0010ffff",
            "\u2581already\u2581marked \u2581 \u2581\u2581", "extra_token_id_1 <s> </s> \uFFFD unknown", new string(' ', 20),
            string.Concat(Enumerable.Repeat("a man is playing a guitar ", 40)), new('x', 300), string.Concat(Enumerable.Repeat("😀a", 200)),
        ];
        List<string> sentences = [.. ReferenceSentences.Generate(), .. useSpecific];
        var expected = UseTokenizerJs.Tokenize(UseVocabulary.File, sentences);
        var tokenizer = UseVocabulary.Tokenizer();
        var differences = new StringBuilder();
        var different = 0;
        for (var i = 0; i < sentences.Count; i++)
        {
            var actual = tokenizer.EncodeContent(sentences[i]);
            if (!actual.SequenceEqual(expected[i]) && ++different <= 5)
            {
                differences.AppendLine(CultureInfo.InvariantCulture, $"sentence {i} {Escape(sentences[i])}:");
                differences.AppendLine(CultureInfo.InvariantCulture, $"  reference [{string.Join(", ", expected[i])}]");
                differences.AppendLine(CultureInfo.InvariantCulture, $"  quiver    [{string.Join(", ", actual)}]");
            }
        }

        Assert.True(different == 0, $"{different} of {sentences.Count} sentences tokenised differently:\n{differences}");
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder("\"");
        foreach (var c in text.Length > 120 ? text[..120] : text)
        {
            escaped.Append(c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return escaped.Append(text.Length > 120 ? "\"..." : "\"").ToString();
    }
}
