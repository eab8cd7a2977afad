using System.Text;
using System.Text.RegularExpressions;

namespace Quiver.Models.Tokenization;

/// <summary>
/// A word tokenizer in the style the GloVe and word2vec vocabularies were built with: NFKC normalisation, typographic
/// quotes and dashes folded to ASCII, words (letters, marks and digits, with inner hyphens and apostrophes), numbers
/// with their separators (3.14, 1,000, 9/11; a sign only where no letter or digit precedes it, so 10-20 is 10, -, 20),
/// Treebank clitics split off, and every other visible character (a surrogate pair counts as one) a punctuation token.
/// </summary>
public sealed partial class WordTokenizer
{
    private static readonly string[] Clitics = ["'s", "'re", "'ve", "'ll", "'d", "'m"];

    public WordTokenizer(WordTokenizerOptions? options = null)
    {
        Options = options ?? new WordTokenizerOptions();
    }

    public WordTokenizerOptions Options { get; }

    public IReadOnlyList<WordToken> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = Fold(text.Normalize(NormalizationForm.FormKC));
        if (Options.Lowercase)
        {
            normalized = normalized.ToLowerInvariant();
        }

        var tokens = new List<WordToken>();
        foreach (Match match in TokenPattern().Matches(normalized))
        {
            if (match.Groups["number"].Success)
            {
                tokens.Add(new WordToken(match.Value, WordTokenKind.Number));
            }
            else if (match.Groups["word"].Success)
            {
                AddWord(tokens, match.Value);
            }
            else
            {
                tokens.Add(new WordToken(match.Value, WordTokenKind.Punctuation));
            }
        }

        return tokens;
    }

    private void AddWord(List<WordToken> tokens, string word)
    {
        if (Options.SplitContractions && word.Contains('\''))
        {
            var lower = word.ToLowerInvariant();
            if (lower.EndsWith("n't", StringComparison.Ordinal) && word.Length > 3)
            {
                tokens.Add(new WordToken(word[..^3], WordTokenKind.Word));
                tokens.Add(new WordToken(word[^3..], WordTokenKind.Word));
                return;
            }

            foreach (var clitic in Clitics)
            {
                if (lower.EndsWith(clitic, StringComparison.Ordinal) && word.Length > clitic.Length)
                {
                    tokens.Add(new WordToken(word[..^clitic.Length], WordTokenKind.Word));
                    tokens.Add(new WordToken(word[^clitic.Length..], WordTokenKind.Word));
                    return;
                }
            }
        }

        tokens.Add(new WordToken(word, WordTokenKind.Word));
    }

    // Typographic apostrophes, quotes and dashes are folded so "don’t" and "don't" tokenize alike.
    private static string Fold(string text)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var folded = c switch
            {
                '\u2018' or '\u2019' or '\u02BC' or '\u2032' => '\'',
                '\u201C' or '\u201D' or '\u201E' or '\u00AB' or '\u00BB' => '"',
                '\u2010' or '\u2011' or '\u2012' => '-',
                _ => c,
            };
            if (folded != c)
            {
                builder ??= new StringBuilder(text, 0, i, text.Length);
            }

            builder?.Append(folded);
        }

        return builder?.ToString() ?? text;
    }

    [GeneratedRegex(
        @"(?<number>(?<![\p{L}\p{N}])[+-]?\d+(?:[.,:/]\d+)*(?:\p{L}+)?|\d+(?:[.,:/]\d+)*(?:\p{L}+)?)|(?<word>[\p{L}\p{M}\p{Nd}_]+(?:['-][\p{L}\p{M}\p{Nd}]+)*)|(?<punct>--|\.\.\.|[\uD800-\uDBFF][\uDC00-\uDFFF]|\S)",
        RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();
}
