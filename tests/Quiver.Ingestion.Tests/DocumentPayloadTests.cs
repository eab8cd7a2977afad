using Quiver.Store.Collections;

namespace Quiver.Ingestion.Tests;

public sealed class DocumentPayloadTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_keys_are_the_names_collections_indexed_before_hold()
    {
        // Collections on disk carry these names; renaming one would hide older chunks' locations and hashes.
        string[] expected = ["path", "chunk", "start", "end", "hash", "title", "heading", "page", "first_line", "last_line", "line", "width", "height", "format"];
        string[] actual =
        [
            DocumentPayload.Path, DocumentPayload.Chunk, DocumentPayload.Start, DocumentPayload.End, DocumentPayload.Hash,
            DocumentPayload.Title, DocumentPayload.Heading, DocumentPayload.Page, DocumentPayload.FirstLine,
            DocumentPayload.LastLine, DocumentPayload.Line, DocumentPayload.Width, DocumentPayload.Height, DocumentPayload.Format,
        ];
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Re_indexing_finds_a_files_chunks_by_the_payload_keys_the_indexer_wrote()
    {
        var docs = Path.Combine(_temp.Path, "docs");
        Directory.CreateDirectory(docs);
        File.WriteAllText(Path.Combine(docs, "a.txt"), "whales swim in the deep sea\n\ncats sleep on warm mats");
        var store = new CollectionStore(Path.Combine(_temp.Path, "store"));
        using var collection = store.OpenOrCreate("docs", new CollectionOptions(BagOfWordsGenerator.Space));
        await new FolderIndexer(new BagOfWordsGenerator(), new ParagraphChunker(30)).IndexAsync(docs, collection, progress: null, CancellationToken.None);

        var sources = collection.Sources(DocumentPayload.Path, DocumentPayload.Hash);

        var (hash, ids) = Assert.Single(sources, s => s.Key == "a.txt").Value;
        Assert.NotNull(hash);
        Assert.Equal(2, ids.Count);
        Assert.Empty(collection.Sources(DocumentPayload.Title, DocumentPayload.Hash));
    }
}
