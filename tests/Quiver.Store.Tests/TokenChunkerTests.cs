using Quiver.Core.Text;
using Quiver.Store.Ingestion;

namespace Quiver.Store.Tests;

public sealed class TokenChunkerTests
{
    // Counts characters as tokens, a tokenizer whose counts are not additive over words (spaces count too).
    private sealed class CharacterCounter(int max) : ITokenCounter
    {
        public int MaxTokens => max;

        public int Count(string text) => text.Length;
    }

    [Fact]
    public void No_chunk_is_longer_than_the_limit_whatever_the_text()
    {
        var random = new Random(7);
        var words = new[] { "a", "whale", "swims.", "Deep", "sea!", "supercalifragilisticexpialidocious", "ok?", "\n", "\n\n" };
        for (var round = 0; round < 50; round++)
        {
            var text = string.Join(" ", Enumerable.Range(0, random.Next(1, 200)).Select(_ => words[random.Next(words.Length)]));
            foreach (ITokenCounter counter in new ITokenCounter[] { new WhitespaceTokenCounter(random.Next(8, 30)), new CharacterCounter(random.Next(8, 40)) })
            {
                var chunker = new TokenChunker(counter, overlapTokens: 3);
                var chunks = chunker.Chunk(ExtractedDocument.Plain(text));
                Assert.All(chunks, c =>
                {
                    Assert.True(counter.Count(c.Text) <= counter.MaxTokens, $"chunk of {counter.Count(c.Text)} tokens over {counter.MaxTokens}: '{c.Text}'");
                    Assert.Equal(c.Text, text[c.Start..c.End]);
                });

                // Every non-space character is in some chunk.
                var covered = new bool[text.Length];
                foreach (var c in chunks)
                {
                    Array.Fill(covered, true, c.Start, c.End - c.Start);
                }

                Assert.All(Enumerable.Range(0, text.Length).Where(i => !char.IsWhiteSpace(text[i])), i => Assert.True(covered[i]));
            }
        }
    }

    [Fact]
    public void Chunks_are_whole_sentences_with_overlap_and_stay_inside_sections()
    {
        var text = "One two three. Four five six. Seven eight nine. Ten eleven twelve. Thirteen fourteen fifteen.";

        // Three 3-word sentences fill 9 tokens; the last sentence (3 tokens, within the overlap of 3) starts the next chunk.
        var chunks = new TokenChunker(new WhitespaceTokenCounter(9), overlapTokens: 3).Chunk(ExtractedDocument.Plain(text));
        Assert.Equal(["One two three. Four five six. Seven eight nine.", "Seven eight nine. Ten eleven twelve. Thirteen fourteen fifteen."], chunks.Select(c => c.Text));

        var sectioned = new ExtractedDocument(text, null, [new DocumentSection(0, 29, "A"), new DocumentSection(30, text.Length, "B", 2)]);
        var split = new TokenChunker(new WhitespaceTokenCounter(50), overlapTokens: 0).Chunk(sectioned);
        Assert.Equal(
            [("One two three. Four five six.", "A", (int?)null), ("Seven eight nine. Ten eleven twelve. Thirteen fourteen fifteen.", "B", 2)],
            split.Select(c => (c.Text, c.Heading!, c.Page)));
    }

    [Fact]
    public void The_limit_never_exceeds_the_encoders()
    {
        var chunker = new TokenChunker(new WhitespaceTokenCounter(16), maxTokens: 100, overlapTokens: 2);
        Assert.Equal(16, chunker.MaxTokens);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenChunker(new WhitespaceTokenCounter(16), overlapTokens: 8));
    }
}
