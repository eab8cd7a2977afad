using System.Text.Json.Nodes;
using Quiver.Ingestion.Retrieval;

namespace Quiver.Ingestion.Tests;

public sealed class SnippetTests
{
    private const string Text =
        "Whales are the largest animals that have ever lived. Blue whales feed on krill, tiny shrimp-like creatures that\n" +
        "gather in vast swarms near the surface of cold seas. A single whale can eat several tonnes of krill in a day.\n\n" +
        "For centuries sailors hunted whales for their oil and bone. Whaling ships left port for voyages that lasted years,\n" +
        "and crews chased whales across the sea in small open boats armed with harpoons.";

    [Fact]
    public void The_snippet_is_the_stretch_with_the_most_query_words_cut_at_words_and_marked()
    {
        var snippet = Snippet.Of(Text, "harpoon voyages");

        // "voyages" and "harpoons" (for harpoon) lie within 160 characters: the window that holds both wins over
        // the text's start.
        Assert.StartsWith("…", snippet.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", snippet.Text, StringComparison.Ordinal);
        Assert.Equal(["voyages", "harpoons"], snippet.Highlights.Select(h => snippet.Text.Substring(h.Start, h.Length)));
        Assert.True(snippet.Text.Length <= 160 + 2, snippet.Text);
        Assert.Contains(snippet.Text.TrimStart('…').TrimEnd('…'), Text.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_query_or_a_matching_word_the_snippet_is_the_start()
    {
        var start = Snippet.Of(Text, null, 60);
        Assert.Equal(start.Text, Snippet.Of(Text, "zebra", 60).Text);
        Assert.Equal("Whales are the largest animals that have ever lived. Blue…", start.Text);
        Assert.Empty(start.Highlights);
        Assert.Equal("Short text.", Snippet.Of("  Short\n text. ", "text").Text);
    }

    [Fact]
    public void Locations_read_as_lines_pages_headings_or_offsets()
    {
        static string Label(string json) => SourceLocation.Of("id#0", JsonNode.Parse(json)!.AsObject()).Label;

        Assert.Equal("ocean-life.md:4-6 § Whales", Label("""{"path":"ocean-life.md","first_line":4,"last_line":6,"heading":"Whales","start":309,"end":420}"""));
        Assert.Equal("notes.txt:7", Label("""{"path":"notes.txt","first_line":7,"last_line":7}"""));
        Assert.Equal("report.pdf p. 3", Label("""{"path":"report.pdf","page":3,"start":10,"end":90}"""));
        Assert.Equal("records.jsonl:12", Label("""{"path":"records.jsonl","line":12}"""));
        Assert.Equal("page.html § Weather chars 30-60", Label("""{"path":"page.html","heading":"Weather","start":30,"end":60}"""));
        Assert.Equal("old.txt chars 309-420", Label("""{"path":"old.txt","start":309,"end":420}"""));

        // A payload from elsewhere: no path means the id, and a field of another type is ignored.
        Assert.Equal("id#0", Label("""{"first_line":"four"}"""));
        Assert.Equal("id#0", SourceLocation.Of("id#0", null).Label);
    }
}
