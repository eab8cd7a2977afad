using Quiver.Core;
using Quiver.Ingestion;

namespace Quiver.Ingestion.Tests;

public sealed class ParagraphChunkerTests
{
    [Fact]
    public void Paragraphs_are_packed_up_to_the_limit_and_offsets_point_into_the_text()
    {
        var text = "First paragraph.\n\nSecond one\nstill second.\n\n\n  Third.  \n";
        var chunks = new ParagraphChunker(maxChars: 45).Chunk(text);

        Assert.All(chunks, c => Assert.Equal(c.Text, text[c.Start..c.End]));
        Assert.Equal(["First paragraph.\n\nSecond one\nstill second.", "Third."], chunks.Select(c => c.Text));
    }

    [Fact]
    public void Small_limit_keeps_paragraphs_apart()
    {
        var chunks = new ParagraphChunker(maxChars: 20).Chunk("Alpha beta.\n\nGamma delta.\n\nEpsilon.");
        Assert.Equal(["Alpha beta.", "Gamma delta.", "Epsilon."], chunks.Select(c => c.Text));
    }

    [Fact]
    public void Long_paragraphs_split_at_lines_then_sentences_then_spaces_and_never_exceed_the_limit()
    {
        var random = new Random(3);
        var words = Enumerable.Range(0, 3000).Select(_ => new string('x', random.Next(1, 12)));
        var text = string.Join(' ', words.Select((w, i) => i % 17 == 16 ? w + "." : i % 53 == 52 ? w + "\n" : w));
        var chunks = new ParagraphChunker(maxChars: 200).Chunk(text);

        Assert.All(chunks, c => Assert.True(c.Text.Length <= 200, $"chunk of {c.Text.Length} chars"));
        Assert.All(chunks, c => Assert.Equal(c.Text, text[c.Start..c.End]));

        // Chunks are in order and cover every word exactly once.
        Assert.True(chunks.Zip(chunks.Skip(1)).All(p => p.First.End <= p.Second.Start));
        Assert.Equal(
            text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries),
            chunks.SelectMany(c => c.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void A_word_longer_than_the_limit_is_cut()
    {
        var text = new string('a', 130);
        var chunks = new ParagraphChunker(maxChars: 50).Chunk(text);
        Assert.Equal([50, 50, 30], chunks.Select(c => c.Text.Length));
        Assert.Equal(text, string.Concat(chunks.Select(c => c.Text)));
    }

    [Fact]
    public void Empty_and_blank_text_has_no_chunks()
    {
        Assert.Empty(new ParagraphChunker().Chunk(string.Empty));
        Assert.Empty(new ParagraphChunker().Chunk(" \n\n \t\n"));
        Assert.Throws<QuiverException>(() => new ParagraphChunker(maxChars: 5));
    }
}
