using Quiver.Core;

namespace Quiver.Ingestion;

/// <summary>
/// Splits text on paragraph boundaries (blank lines) and packs consecutive paragraphs into chunks of at most
/// <see cref="MaxChars"/> characters. A paragraph longer than that is split at line ends, then after sentence ends,
/// then at spaces, so no chunk exceeds the limit unless a single word does.
/// </summary>
public sealed class ParagraphChunker : IDocumentChunker
{
    public ParagraphChunker(int maxChars = 1000)
    {
        if (maxChars < 20)
        {
            throw new QuiverException($"The chunk limit is {maxChars} characters; chunks need room for at least 20.");
        }

        MaxChars = maxChars;
    }

    public int MaxChars { get; }

    public IReadOnlyList<DocumentChunk> Chunk(ExtractedDocument document) =>
        document.Sections.SelectMany(section => Chunk(document.Text[section.Start..section.End])
            .Select(c => new DocumentChunk(c.Text, c.Start + section.Start, c.End + section.Start, section.Heading, section.Page))).ToList();

    public IReadOnlyList<TextChunk> Chunk(string text)
    {
        var pieces = new List<(int Start, int End)>();
        foreach (var paragraph in Paragraphs(text))
        {
            Split(text, paragraph.Start, paragraph.End, level: 0, pieces);
        }

        // Pack neighbouring pieces while the chunk (from the first piece's start to the last one's end) stays in bounds.
        var chunks = new List<TextChunk>();
        var i = 0;
        while (i < pieces.Count)
        {
            var start = pieces[i].Start;
            var end = pieces[i].End;
            var j = i + 1;
            while (j < pieces.Count && pieces[j].End - start <= MaxChars)
            {
                end = pieces[j].End;
                j++;
            }

            chunks.Add(new TextChunk(text[start..end], start, end));
            i = j;
        }

        return chunks;
    }

    private static IEnumerable<(int Start, int End)> Paragraphs(string text)
    {
        var start = 0;
        var position = 0;
        while (position < text.Length)
        {
            var newline = text.IndexOf('\n', position);
            if (newline < 0)
            {
                break;
            }

            // A blank line (only whitespace up to the next newline) ends a paragraph.
            var next = newline + 1;
            var lineEnd = text.IndexOf('\n', next);
            var line = lineEnd < 0 ? text.AsSpan(next) : text.AsSpan(next, lineEnd - next);
            if (line.IsWhiteSpace())
            {
                if (Trim(text, start, newline) is { } paragraph)
                {
                    yield return paragraph;
                }

                start = lineEnd < 0 ? text.Length : lineEnd + 1;
                position = start;
            }
            else
            {
                position = next;
            }
        }

        if (Trim(text, start, text.Length) is { } last)
        {
            yield return last;
        }
    }

    private void Split(string text, int start, int end, int level, List<(int Start, int End)> pieces)
    {
        if (end - start <= MaxChars)
        {
            pieces.Add((start, end));
            return;
        }

        if (level == 2)
        {
            HardSplit(text, start, end, pieces);
            return;
        }

        var position = start;
        while (position < end)
        {
            var cut = level == 0 ? NextLineEnd(text, position, end) : NextSentenceEnd(text, position, end);
            if (Trim(text, position, cut) is { } piece)
            {
                Split(text, piece.Start, piece.End, level + 1, pieces);
            }

            position = cut;
        }
    }

    private void HardSplit(string text, int start, int end, List<(int Start, int End)> pieces)
    {
        while (end - start > MaxChars)
        {
            var cut = text.LastIndexOf(' ', start + MaxChars - 1, MaxChars);
            cut = cut <= start ? start + MaxChars : cut;
            if (Trim(text, start, cut) is { } piece)
            {
                pieces.Add(piece);
            }

            start = cut;
        }

        if (Trim(text, start, end) is { } rest)
        {
            pieces.Add(rest);
        }
    }

    private static int NextLineEnd(string text, int from, int end)
    {
        var i = text.IndexOf('\n', from, end - from);
        return i < 0 ? end : i + 1;
    }

    private static int NextSentenceEnd(string text, int from, int end)
    {
        for (var i = from; i < end - 1; i++)
        {
            if (text[i] is '.' or '!' or '?' && char.IsWhiteSpace(text[i + 1]))
            {
                return i + 1;
            }
        }

        return end;
    }

    private static (int Start, int End)? Trim(string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return end > start ? (start, end) : null;
    }
}
