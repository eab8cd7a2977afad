using System.Text;

namespace Quiver.Analysis.Topics;

/// <summary>
/// Words for topic keywords: lower-cased runs of letters and digits (an apostrophe inside a word is kept, a
/// possessive 's dropped), at least two characters with one letter, and not an English stop word.
/// </summary>
public static class TopicTokenizer
{
    public static IEnumerable<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var word = new StringBuilder();
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            if (c is '\'' or '\u2019' && word.Length > 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                word.Append('\'');
                continue;
            }

            if (word.Length > 0 && Keep(word.ToString()) is { } kept)
            {
                yield return kept;
            }

            word.Clear();
        }
    }

    private static string? Keep(string word)
    {
        if (word.EndsWith("'s", StringComparison.Ordinal))
        {
            word = word[..^2];
        }

        return word.Length >= 2 && word.Any(char.IsLetter) && !EnglishStopWords.Contains(word) ? word : null;
    }
}
