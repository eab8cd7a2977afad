using System.Globalization;
using System.Text;
using Quiver.Core;

namespace Quiver.Store.Keyword;

/// <summary>
/// Turns a user's words into an FTS5 query that can only mean "any of these words". The text is split the way FTS5's
/// unicode61 tokenizer splits (runs of letters, digits and private-use characters), and each word is quoted, so
/// operators (AND, OR, NOT, NEAR), column filters, prefixes and parentheses in user text are plain words. The word
/// splitting is public so that what shows a hit to a person (a snippet's highlights) marks the words the search matched.
/// </summary>
public static class KeywordQuery
{
    /// <summary>The distinct words of <paramref name="text"/>, lower-cased, in order of first appearance.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (start, length) in WordRanges(text))
        {
            var word = text.Substring(start, length).ToLowerInvariant();
            if (seen.Add(word))
            {
                words.Add(word);
            }
        }

        return words;
    }

    /// <summary>Where each word of <paramref name="text"/> is, as FTS5's tokenizer would split it, in order.</summary>
    public static IEnumerable<(int Start, int Length)> WordRanges(string text)
    {
        var start = -1;
        var position = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsTokenCharacter(Rune.GetUnicodeCategory(rune)))
            {
                start = start < 0 ? position : start;
            }
            else if (start >= 0)
            {
                yield return (start, position - start);
                start = -1;
            }

            position += rune.Utf16SequenceLength;
        }

        if (start >= 0)
        {
            yield return (start, position - start);
        }
    }

    /// <summary>The MATCH expression for <paramref name="text"/>: its words quoted and joined by OR.</summary>
    internal static string ToMatch(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = Words(text);
        if (words.Count == 0)
        {
            throw new QuiverException(
                $"The keyword query '{Shorten(text)}' has no words to search for (only spaces or punctuation). Give at least one word.");
        }

        return string.Join(" OR ", words.Select(w => "\"" + w + "\""));
    }

    // unicode61's default token characters: letters, numbers and the private-use area ("L* N* Co").
    private static bool IsTokenCharacter(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        UnicodeCategory.PrivateUse => true,
        _ => false,
    };

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
