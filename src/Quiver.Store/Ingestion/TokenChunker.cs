using Quiver.Core.Text;

namespace Quiver.Store.Ingestion;

/// <summary>
/// Cuts each section into chunks of whole sentences that fit the encoder: at most <see cref="MaxTokens"/> tokens as
/// the encoder's own tokenizer counts them (every chunk is counted whole, not estimated), with about
/// <see cref="OverlapTokens"/> tokens of the previous chunk's last sentences repeated at the start of the next, so a
/// passage cut at a boundary is still found whole. Chunks never cross a section (a heading or a page). A sentence
/// longer than the limit is cut between words, and a word longer than it between characters.
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
            throw new ArgumentOutOfRangeException(nameof(maxTokens), MaxTokens, "Chunks need room for at least 8 tokens.");
        }

        var overlap = overlapTokens ?? Math.Min(32, MaxTokens / 4);
        if (overlap < 0 || overlap >= MaxTokens / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(overlapTokens), overlap, $"The overlap must be from 0 to less than half the chunk limit ({MaxTokens / 2}).");
        }

        OverlapTokens = overlap;
    }

    public int MaxTokens { get; }

    public int OverlapTokens { get; }

    public IReadOnlyList<DocumentChunk> Chunk(ExtractedDocument document)
    {
        var chunks = new List<DocumentChunk>();
        foreach (var section in document.Sections)
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

            Pack(document.Text, sentences, section, chunks);
        }

        return chunks;
    }

    private void Pack(string text, List<(int Start, int End, int Tokens)> sentences, DocumentSection section, List<DocumentChunk> chunks)
    {
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

            while (last > first && _counter.Count(text[sentences[first].Start..sentences[last].End]) > MaxTokens)
            {
                last--;
            }

            var start = sentences[first].Start;
            var end = sentences[last].End;
            chunks.Add(new DocumentChunk(text[start..end], start, end, section.Heading, section.Page));
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
    }

    // Pieces of an over-long sentence: runs of words that fit; a word that alone does not fit is cut by characters.
    private List<(int Start, int End, int Tokens)> SplitLong(string text, int start, int end)
    {
        var pieces = new List<(int, int, int)>();
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

            var cut = LongestFit(text, position, end);
            pieces.Add((position, cut, _counter.Count(text[position..cut])));
            position = cut;
        }

        return pieces;
    }

    // The furthest word boundary (else character) after start whose prefix fits, found by binary search on counts.
    private int LongestFit(string text, int start, int end)
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
        var best = Search(boundaries, start, text);
        if (best > start)
        {
            return best;
        }

        // Not even one word fits: cut inside it, keeping surrogate pairs together.
        var characters = Enumerable.Range(start + 1, Math.Max(boundaries[0] - start, 1)).Where(i => i == end || !char.IsLowSurrogate(text[i])).ToList();
        best = Search(characters, start, text);
        return best > start ? best : characters[0];
    }

    private int Search(List<int> candidates, int start, string text)
    {
        int low = 0, high = candidates.Count - 1, best = start;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (_counter.Count(text[start..candidates[middle]]) <= MaxTokens)
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
