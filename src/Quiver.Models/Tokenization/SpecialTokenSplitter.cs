namespace Quiver.Models.Tokenization;

/// <summary>
/// Finds special tokens ([CLS], [MASK], ...) written verbatim in raw text, leftmost and longest first, as the
/// Hugging Face tokenizers do for added tokens that are not normalised.
/// </summary>
internal sealed class SpecialTokenSplitter(IReadOnlyDictionary<string, int> tokens)
{
    private readonly KeyValuePair<string, int>[] _byLength = [.. tokens.OrderByDescending(t => t.Key.Length).ThenBy(t => t.Key, StringComparer.Ordinal)];
    private readonly char[] _firstChars = [.. tokens.Keys.Where(k => k.Length > 0).Select(k => k[0]).Distinct()];

    /// <summary>Calls <paramref name="section"/> for each run of ordinary text (id null) and each special token, in order.</summary>
    public void Split(string text, Action<int, int, int?> section)
    {
        var start = 0;
        var i = _firstChars.Length == 0 ? -1 : text.IndexOfAny(_firstChars);
        while (i >= 0)
        {
            var match = Match(text, i);
            if (match is { } m)
            {
                if (i > start)
                {
                    section(start, i - start, null);
                }

                section(i, m.Key.Length, m.Value);
                start = i + m.Key.Length;
                i = start;
            }
            else
            {
                i++;
            }

            i = i < text.Length ? text.IndexOfAny(_firstChars, i) : -1;
        }

        if (start < text.Length)
        {
            section(start, text.Length - start, null);
        }
    }

    private KeyValuePair<string, int>? Match(string text, int index)
    {
        foreach (var token in _byLength)
        {
            if (string.CompareOrdinal(text, index, token.Key, 0, token.Key.Length) == 0 && index + token.Key.Length <= text.Length)
            {
                return token;
            }
        }

        return null;
    }
}
