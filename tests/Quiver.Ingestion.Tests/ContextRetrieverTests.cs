using System.Text.Json.Nodes;
using Quiver.Core;
using Quiver.Core.Text;
using Quiver.Ingestion.Retrieval;
using Quiver.Store.Collections;
using Quiver.Store.Search;

namespace Quiver.Ingestion.Tests;

public sealed class ContextRetrieverTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Collection Fixture()
    {
        var collection = new CollectionStore(_folder.Path).Create("docs", new CollectionOptions(BagOfWordsGenerator.Space));
        Point Passage(string id, string text, int page) => new(
            id, BagOfWordsGenerator.Embed(text), new JsonObject { ["path"] = "book.pdf", ["title"] = "Whales", ["page"] = page, ["start"] = page * 100, ["end"] = (page * 100) + text.Length }, text);
        collection.Upsert([
            Passage("p1", "whales sing long songs under the sea", 1),
            Passage("p2", "whales feed on krill and small fish in cold water far from any shore line at all", 2),
            Passage("p3", "the lighthouse keeper counted ships", 3),
        ]);
        return collection;
    }

    [Fact]
    public async Task Passages_come_with_citations_within_the_token_budget()
    {
        using var collection = Fixture();
        var counter = new WhitespaceTokenCounter(int.MaxValue);
        var retriever = new ContextRetriever(new BagOfWordsGenerator(), counter);

        var all = await retriever.RetrieveAsync(collection, new ContextRequest("what do whales sing") { BudgetTokens = 1000, MmrLambda = null });
        Assert.Equal("p1", all.Passages[0].Id);
        Assert.Equal("[1] book.pdf, p. 1, chars 100-136", all.Passages[0].Citation);
        Assert.StartsWith("[1] book.pdf, p. 1, chars 100-136\nwhales sing long songs under the sea\n\n[2] ", all.Prompt, StringComparison.Ordinal);
        Assert.Equal(all.Passages.Sum(p => p.Tokens), all.UsedTokens);
        Assert.All(all.Passages, p => Assert.Equal(counter.Count(p.Citation + "\n" + p.Text), p.Tokens));

        // 20 tokens: p1 (6 citation + 7 text words) fits, p2 (24) does not and is passed over.
        var tight = await retriever.RetrieveAsync(collection, new ContextRequest("what do whales sing") { BudgetTokens = 20, Mode = SearchMode.Keyword });
        Assert.Equal(["p1"], tight.Passages.Select(p => p.Id));
        Assert.True(tight.UsedTokens <= 20);
        Assert.Equal(1, tight.PassedOver);
    }

    [Fact]
    public async Task Without_an_encoder_only_keyword_search_is_possible()
    {
        using var collection = Fixture();
        var retriever = new ContextRetriever(null, new WhitespaceTokenCounter(int.MaxValue));
        var result = await retriever.RetrieveAsync(collection, new ContextRequest("lighthouse"));
        Assert.Equal("p3", Assert.Single(result.Passages).Id);
        await Assert.ThrowsAsync<QuiverException>(() => retriever.RetrieveAsync(collection, new ContextRequest("lighthouse") { Mode = SearchMode.Hybrid }));
        await Assert.ThrowsAsync<QuiverException>(() => retriever.RetrieveAsync(collection, new ContextRequest(" ")));
    }
}
