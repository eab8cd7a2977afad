using System.Text;
using Quiver.Store.Keyword;

namespace Quiver.Ingestion.Retrieval;

/// <summary>
/// A short excerpt of a hit's text for a person to read: whitespace collapsed, cut at word boundaries, "…" where text
/// was left out. With a query it is the stretch that holds the most of the query's words (their places listed in
/// <see cref="Highlights"/>); without one, or when no word occurs, the text's start.
/// </summary>
public sealed record Snippet(string Text, IReadOnlyList<(int Start, int Length)> Highlights)
{
    public static Snippet Of(string text, string? query, int width = 160)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 20);
        var flat = Flatten(text);
        var terms = query is null ? [] : KeywordQuery.Words(query);
        var matches = KeywordQuery.WordRanges(flat)
            .Select(w => (w.Start, w.Length, Term: Term(flat.Substring(w.Start, w.Length).ToLowerInvariant(), terms)))
            .Where(w => w.Term >= 0)
            .ToList();

        // The window (a quarter of it before its first match) that holds the most distinct query words, then the most
        // occurrences, then the earliest.
        var from = 0;
        if (matches.Count > 0)
        {
            from = matches
                .Select(m => Math.Max(0, m.Start - width / 4))
                .Select(start => (Start: start, Inside: matches.Where(m => m.Start >= start && m.Start + m.Length <= start + width).ToList()))
                .OrderByDescending(w => w.Inside.Select(m => m.Term).Distinct().Count())
                .ThenByDescending(w => w.Inside.Count)
                .ThenBy(w => w.Start)
                .First().Start;
        }

        // Start at a word's start and end after a word's end, unless the cut falls at the text's own ends.
        var end = Math.Min(flat.Length, from + width);
        if (from > 0 && flat[from - 1] != ' ' && flat.IndexOf(' ', from, end - from) is var space and >= 0)
        {
            from = space + 1;
        }

        if (end < flat.Length && flat[end] != ' ' && flat.LastIndexOf(' ', end - 1, end - from) is var last and > 0 && last > from)
        {
            end = last;
        }

        var prefix = from > 0 ? "…" : string.Empty;
        var excerpt = prefix + flat[from..end] + (end < flat.Length ? "…" : string.Empty);
        var highlights = matches
            .Where(m => m.Start >= from && m.Start + m.Length <= end)
            .Select(m => (m.Start - from + prefix.Length, m.Length))
            .ToList();
        return new Snippet(excerpt, highlights);
    }

    // The index of the query word a text word stands for, or -1. A shared start of four letters or more that leaves at
    // most three letters of the shorter word stands for the same word (whale, whales, whaling), as a stemmer would.
    private static int Term(string word, IReadOnlyList<string> terms)
    {
        for (var i = 0; i < terms.Count; i++)
        {
            var term = terms[i];
            var shared = 0;
            while (shared < word.Length && shared < term.Length && word[shared] == term[shared])
            {
                shared++;
            }

            if ((shared == word.Length && shared == term.Length) || (shared >= 4 && shared >= Math.Min(word.Length, term.Length) - 3))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Flatten(string text)
    {
        var flat = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                flat.Append(c);
            }
            else if (flat.Length > 0 && flat[^1] != ' ')
            {
                flat.Append(' ');
            }
        }

        return flat.ToString().TrimEnd();
    }
}
