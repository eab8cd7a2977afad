using Quiver.Core;
using Quiver.Core.Text;
using Quiver.Ingestion;

namespace Quiver.Ingestion.Tests;

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

                // No chunk is a fragment unless its whole text is that small (counted in words: a single word can
                // outgrow a character budget, so the character counter has no such floor).
                if (chunks.Count > 1 && counter is WhitespaceTokenCounter)
                {
                    Assert.All(chunks, c => Assert.True(counter.Count(c.Text) >= chunker.MinTokens, $"chunk of {counter.Count(c.Text)} tokens under {chunker.MinTokens}: '{c.Text}'"));
                }

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
        Assert.Throws<QuiverException>(() => new TokenChunker(new WhitespaceTokenCounter(16), overlapTokens: 8));
    }

    [Fact]
    public void A_long_sentence_is_cut_into_even_pieces_not_full_ones_and_a_sliver()
    {
        var sentence = string.Join(' ', Enumerable.Range(1, 25).Select(i => $"w{i}")) + ".";

        // 25 words over a limit of 10: three pieces of 9, 9 and 7 words, where a greedy cut makes 10, 10 and 5.
        var chunks = new TokenChunker(new WhitespaceTokenCounter(10), overlapTokens: 0).Chunk(ExtractedDocument.Plain(sentence));
        Assert.Equal([9, 9, 7], chunks.Select(c => c.Text.Split(' ').Length));
    }

    // Moby-Dick, chapter 135 (public domain): around this passage the corpus index made a chunk of the single word
    // "spar.", because a sentence too long to share a chunk followed it.
    private const string MobyDick =
        "But as the last whelmings intermixingly poured themselves over the sunken head of the Indian at the mainmast, leaving a few inches of the erect spar yet visible, together with long streaming yards of the flag, which calmly undulated, with ironical coincidings, over the destroying billows they almost touched;—at that instant, a red arm and a hammer hovered backwardly uplifted in the open air, in the act of nailing the flag faster and yet faster to the subsiding spar. " +
        "A sky-hawk that tauntingly had followed the main-truck downwards from its natural home among the stars, pecking at the flag, and incommoding Tashtego there; this bird now chanced to intercept its broad fluttering wing between the hammer and the wood; and simultaneously feeling that etherial thrill, the submerged savage beneath, in his death-gasp, kept his hammer frozen there; and so the bird of heaven, with archangelic shrieks, and his imperial beak thrust upwards, and his whole captive form folded in the flag of Ahab, went down with his ship, which, like Satan, would not sink to hell till she had dragged a living part of heaven along with her, and helmeted herself with it.";

    [Fact]
    public void A_fragment_between_full_chunks_takes_words_from_the_chunk_before()
    {
        // 79 words, a 3-word sentence, 80 words: with a limit of 80 the short sentence fits with neither neighbour.
        var sky = MobyDick[(MobyDick.IndexOf("A sky-hawk", StringComparison.Ordinal))..].Split(' ');
        var text = MobyDick[..(MobyDick.IndexOf(" A sky-hawk", StringComparison.Ordinal))] + " Now small craft. " + string.Join(' ', sky[..80]) + ".";
        var counter = new WhitespaceTokenCounter(80);
        var chunker = new TokenChunker(counter, overlapTokens: 8);
        var chunks = chunker.Chunk(ExtractedDocument.Plain(text));
        Assert.Equal(3, chunks.Count);
        Assert.All(chunks, c => Assert.InRange(counter.Count(c.Text), chunker.MinTokens, chunker.MaxTokens));
        Assert.EndsWith("the subsiding spar. Now small craft.", chunks[1].Text, StringComparison.Ordinal);
        Assert.Equal(2 * chunker.MinTokens, counter.Count(chunks[1].Text));
        Assert.Equal(chunks[1].Text, text[chunks[1].Start..chunks[1].End]);
    }

    [Fact]
    public void A_short_last_sentence_takes_words_from_the_chunk_before()
    {
        var text = "Calm sea. " + MobyDick + " It sank.";
        var counter = new WhitespaceTokenCounter(115);
        var chunker = new TokenChunker(counter, overlapTokens: 4);
        var chunks = chunker.Chunk(ExtractedDocument.Plain(text));
        Assert.All(chunks, c => Assert.True(counter.Count(c.Text) >= chunker.MinTokens, $"fragment: '{c.Text}'"));
        Assert.StartsWith("Calm sea. But as the last", chunks[0].Text, StringComparison.Ordinal);
        Assert.EndsWith("helmeted herself with it. It sank.", chunks[^1].Text, StringComparison.Ordinal);
        Assert.Equal(2 * chunker.MinTokens, counter.Count(chunks[^1].Text));
    }

    [Fact]
    public void A_heading_with_nothing_under_it_joins_the_next_section()
    {
        var text = "# Guide\n## Install\nRun the installer, wait for it to finish, then restart the machine and log in again to check.\n";
        var install = text.IndexOf("## Install", StringComparison.Ordinal);
        var document = new ExtractedDocument(text, "Guide", [new DocumentSection(0, install, "Guide"), new DocumentSection(install, text.Length, "Install")]);
        var chunk = Assert.Single(new TokenChunker(new WhitespaceTokenCounter(40), overlapTokens: 0).Chunk(document));
        Assert.Equal(("Install", 0), (chunk.Heading, chunk.Start));
    }
}
