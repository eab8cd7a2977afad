using Quiver.Core;
using Quiver.Core.Text;

namespace Quiver.Ingestion;

/// <summary>
/// Cuts each section into chunks of whole sentences that fit the encoder: at most <see cref="MaxTokens"/> tokens as
/// the encoder's own tokenizer counts them (every chunk is counted whole, not estimated), with about
/// <see cref="OverlapTokens"/> tokens of the previous chunk's last sentences repeated at the start of the next, so a
/// passage cut at a boundary is still found whole. Chunks never cross a section (a heading or a page). A sentence
/// longer than the limit is cut between words into pieces of about equal size (a greedy cut leaves a tail of one or
/// two words), and a word longer than it between characters. No chunk is smaller than <see cref="MinTokens"/> unless
/// its whole section is: a small chunk takes words from its neighbour's side as overlap. A heading with nothing under
/// it joins the next section on the same page.
/// </summary>
public sealed class TokenChunker : IDocumentChunker
{
    private readonly ITokenCounter _counter;

    /// <param name="maxTokens">Chunk limit; the encoder's own limit when null, and never above it.</param>
    /// <param name="overlapTokens">Tokens repeated between neighbouring chunks; when null, 32 or a quarter of the limit, whichever is less.</param>
    public TokenChunker(ITokenCounter counter, int? maxTokens = null, int? overlapTokens = null)
    {
        _counter = counter;
        MaxTokens = Math.Min(maxTokens ?? counter.MaxTokens, counter.MaxTokens);
        if (MaxTokens < 8)
        {
            throw new QuiverException($"The chunk limit is {MaxTokens} tokens; chunks need room for at least 8.");
        }

        var overlap = overlapTokens ?? Math.Min(32, MaxTokens / 4);
        if (overlap < 0 || overlap >= MaxTokens / 2)
        {
            throw new QuiverException($"The chunk overlap is {overlap} tokens; it must be from 0 to less than half the chunk limit ({MaxTokens / 2}).");
        }

        OverlapTokens = overlap;

        // An eighth of the limit (32 of MiniLM's 256 tokens, about 25 words): below that a chunk is a fragment whose
        // vector says little and which, being short, ranks high on any of its few words.
        MinTokens = Math.Max(1, MaxTokens / 8);
    }

    public int MaxTokens { get; }

    public int OverlapTokens { get; }

    /// <summary>The smallest chunk made, unless a whole section (after small ones are joined) is smaller.</summary>
    public int MinTokens { get; }

    public IReadOnlyList<DocumentChunk> Chunk(ExtractedDocument document)
    {
        var chunks = new List<DocumentChunk>();
        foreach (var section in JoinBareHeadings(document))
        {
            var sentences = new List<(int Start, int End, int Tokens)>();
            foreach (var (start, end) in Sentences(document.Text, section.Start, section.End))
            {
                var tokens = _counter.Count(document.Text[start..end]);
                if (tokens <= MaxTokens)
                {
                    sentences.Add((start, end, tokens));
                }
                else
                {
                    sentences.AddRange(SplitLong(document.Text, start, end));
                }
            }

            var ranges = Pack(document.Text, sentences);
            Settle(document.Text, ranges, section);
            chunks.AddRange(ranges.Select(r => new DocumentChunk(document.Text[r.Start..r.End], r.Start, r.End, section.Heading, section.Page)));
        }

        return chunks;
    }

    // A heading with nothing under it (a section of one line, as when a subheading follows at once) joins the next
    // section on the same page, under that section's heading; any section with text of its own keeps its heading.
    private static List<DocumentSection> JoinBareHeadings(ExtractedDocument document)
    {
        var sections = new List<DocumentSection>();
        DocumentSection? pending = null;
        foreach (var next in document.Sections)
        {
            var section = next;
            if (pending is not null && pending.Page == section.Page)
            {
                section = section with { Start = pending.Start };
            }
            else if (pending is not null)
            {
                sections.Add(pending);
            }

            pending = null;
            if (!document.Text.AsSpan(section.Start, section.End - section.Start).Trim().Contains('\n'))
            {
                pending = section;
                continue;
            }

            sections.Add(section);
        }

        if (pending is not null)
        {
            sections.Add(pending);
        }

        return sections;
    }

    // Chunks with their token counts, kept so that settling them does not tokenize the text again.
    private List<(int Start, int End, int Tokens)> Pack(string text, List<(int Start, int End, int Tokens)> sentences)
    {
        var chunks = new List<(int Start, int End, int Tokens)>();
        var first = 0;
        while (first < sentences.Count)
        {
            // Grow while the estimate fits, then make sure the whole chunk, counted as one text, fits too.
            var last = first;
            var estimate = sentences[first].Tokens;
            while (last + 1 < sentences.Count && estimate + sentences[last + 1].Tokens <= MaxTokens)
            {
                last++;
                estimate += sentences[last].Tokens;
            }

            int Whole() => last > first ? _counter.Count(text[sentences[first].Start..sentences[last].End]) : sentences[first].Tokens;
            var tokens = Whole();
            while (tokens > MaxTokens && last > first)
            {
                last--;
                tokens = Whole();
            }

            chunks.Add((sentences[first].Start, sentences[last].End, tokens));
            if (last + 1 >= sentences.Count)
            {
                break;
            }

            // The next chunk starts with the trailing sentences of this one that fit in the overlap (always moving on).
            var next = last + 1;
            var carried = 0;
            while (next - 1 > first && carried + sentences[next - 1].Tokens <= OverlapTokens)
            {
                next--;
                carried += sentences[next].Tokens;
            }

            first = next;
        }

        return chunks;
    }

    // A chunk under the minimum exists only because its neighbours are too full to take it (packing is greedy), so it
    // is widened instead: by whole words into the text before it (after it, for a section's first chunk), up to twice
    // the minimum, which repeats some of the neighbour as overlap but gives the fragment context to be found by.
    private void Settle(string text, List<(int Start, int End, int Tokens)> chunks, DocumentSection section)
    {
        for (var i = 0; i < chunks.Count && chunks.Count > 1; i++)
        {
            var (start, end, tokens) = chunks[i];
            if (tokens >= MinTokens)
            {
                continue;
            }

            var width = Math.Min(MaxTokens, 2 * MinTokens);
            chunks[i] = i > 0
                ? (WidenBackwards(text, section.Start, start, end, width), end, width)
                : (start, WidenForwards(text, start, end, section.End, width), width);
        }
    }

    // The earliest word start before start from which text up to end still fits in width tokens.
    private int WidenBackwards(string text, int limit, int start, int end, int width)
    {
        var candidates = new List<int>();
        for (var i = start - 1; i >= limit; i--)
        {
            if (!char.IsWhiteSpace(text[i]) && (i == limit || char.IsWhiteSpace(text[i - 1])))
            {
                candidates.Add(i);
            }
        }

        return Furthest(candidates, start, c => _counter.Count(text[c..end]), width);
    }

    // The latest word end after end up to which text from start still fits in width tokens.
    private int WidenForwards(string text, int start, int end, int limit, int width)
    {
        var candidates = new List<int>();
        for (var i = end + 1; i <= limit; i++)
        {
            if (!char.IsWhiteSpace(text[i - 1]) && (i == limit || char.IsWhiteSpace(text[i])))
            {
                candidates.Add(i);
            }
        }

        return Furthest(candidates, end, c => _counter.Count(text[start..c]), width);
    }

    // Binary search over candidates ordered by growing size for the last one whose count fits; fallback when none does.
    private static int Furthest(List<int> candidates, int fallback, Func<int, int> count, int width)
    {
        int low = 0, high = candidates.Count - 1, best = fallback;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (count(candidates[middle]) <= width)
            {
                best = candidates[middle];
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return best;
    }

    // Pieces of an over-long sentence: runs of words of about equal size (the sentence's tokens shared out over as few
    // pieces as fit); a word that alone does not fit is cut by characters.
    private List<(int Start, int End, int Tokens)> SplitLong(string text, int start, int end)
    {
        var pieces = new List<(int, int, int)>();
        var total = _counter.Count(text[start..end]);
        var share = (int)Math.Ceiling(total / Math.Ceiling(total / (double)MaxTokens));
        var position = start;
        while (position < end)
        {
            while (position < end && char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            if (position >= end)
            {
                break;
            }

            // The last piece takes whatever is left when it fits, so tokenizer rounding cannot leave a sliver.
            var cut = _counter.Count(text[position..end]) <= MaxTokens ? end : LongestFit(text, position, end, share);
            pieces.Add((position, cut, _counter.Count(text[position..cut])));
            position = cut;
        }

        return pieces;
    }

    // The furthest word boundary (else character) after start whose prefix fits in limit tokens, by binary search on counts.
    private int LongestFit(string text, int start, int end, int limit)
    {
        var boundaries = new List<int>();
        for (var i = start + 1; i < end; i++)
        {
            if (char.IsWhiteSpace(text[i]) && !char.IsWhiteSpace(text[i - 1]))
            {
                boundaries.Add(i);
            }
        }

        boundaries.Add(end);
        var best = Furthest(boundaries, start, b => _counter.Count(text[start..b]), limit);
        if (best == start && limit < MaxTokens)
        {
            best = Furthest(boundaries, start, b => _counter.Count(text[start..b]), MaxTokens);
        }

        if (best > start)
        {
            return best;
        }

        // Not even one word fits: cut inside it, keeping surrogate pairs together.
        var characters = Enumerable.Range(start + 1, Math.Max(boundaries[0] - start, 1)).Where(i => i == end || !char.IsLowSurrogate(text[i])).ToList();
        best = Furthest(characters, start, c => _counter.Count(text[start..c]), MaxTokens);
        return best > start ? best : characters[0];
    }

    // Sentences: ends after . ! ? followed by whitespace, and at every line break (lists, headings, paragraphs). Trimmed, never empty.
    private static IEnumerable<(int Start, int End)> Sentences(string text, int start, int end)
    {
        var from = start;
        for (var i = start; i < end; i++)
        {
            var boundary = text[i] == '\n' || (text[i] is '.' or '!' or '?' && i + 1 < end && char.IsWhiteSpace(text[i + 1]));
            if (boundary || i == end - 1)
            {
                var to = i + 1;
                var s = from;
                var e = to;
                while (s < e && char.IsWhiteSpace(text[s]))
                {
                    s++;
                }

                while (e > s && char.IsWhiteSpace(text[e - 1]))
                {
                    e--;
                }

                if (e > s)
                {
                    yield return (s, e);
                }

                from = to;
            }
        }
    }
}
