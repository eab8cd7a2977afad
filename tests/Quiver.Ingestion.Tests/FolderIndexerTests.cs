using System.Text;
using Quiver.Ingestion;
using Quiver.Store.Collections;

namespace Quiver.Ingestion.Tests;

public sealed class FolderIndexerTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Docs => Path.Combine(_temp.Path, "docs");

    private void Write(string relative, string text)
    {
        var path = Path.Combine(Docs, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private async Task<(IndexSummary Summary, Collection Collection)> IndexAsync(int maxChars = 60)
    {
        var store = new CollectionStore(Path.Combine(_temp.Path, "store"));
        var collection = store.OpenOrCreate("docs", new CollectionOptions(BagOfWordsGenerator.Space));
        var summary = await new FolderIndexer(new BagOfWordsGenerator(), new ParagraphChunker(maxChars)) { BatchSize = 3 }
            .IndexAsync(Docs, collection, progress: null, CancellationToken.None);
        return (summary, collection);
    }

    [Fact]
    public async Task Text_and_markdown_files_are_chunked_with_path_and_offsets_in_the_payload()
    {
        Write("a.txt", "whales swim in the deep sea\n\ncats sleep on warm mats");
        Write("sub/b.md", "# Heading\n\nrockets fly to the moon");
        Write("ignored.csv", "x,y\n1,2");

        var (summary, collection) = await IndexAsync(maxChars: 30);
        using (collection)
        {
            Assert.Equal(2, summary.Files);
            Assert.Equal(4, summary.Chunks);
            Assert.Empty(summary.Skipped);
            Assert.Equal(4, collection.Count());

            var hit = collection.Search(BagOfWordsGenerator.Embed("rockets fly to the moon"), 1)[0];
            Assert.Equal("sub/b.md#1", hit.Id);
            Assert.Equal("sub/b.md", hit.Payload!["path"]!.GetValue<string>());
            var text = File.ReadAllText(Path.Combine(Docs, "sub/b.md"));
            Assert.Equal(hit.Text, text[hit.Payload["start"]!.GetValue<int>()..hit.Payload["end"]!.GetValue<int>()]);
        }
    }

    [Fact]
    public async Task Binary_and_invalid_utf8_files_are_skipped_and_reported()
    {
        Write("good.txt", "plain words here");
        File.WriteAllBytes(Path.Combine(Docs, "nul.txt"), [0x68, 0x00, 0x69]);
        File.WriteAllBytes(Path.Combine(Docs, "latin1.txt"), Encoding.Latin1.GetBytes("caf\u00e9 cr\u00e8me"));

        var (summary, collection) = await IndexAsync();
        using (collection)
        {
            Assert.Equal(1, summary.Files);
            Assert.Equal(1, summary.Chunks);
            Assert.Contains(summary.Skipped, s => s.Path == "nul.txt" && s.Reason.Contains("binary"));
            Assert.Contains(summary.Skipped, s => s.Path == "latin1.txt" && s.Reason.Contains("UTF-8"));
        }
    }

    [Fact]
    public async Task A_chunk_the_encoder_refuses_is_skipped_and_the_rest_of_its_batch_is_kept()
    {
        Write("a.txt", "one two three\n\nzzz zzz zzz zzz\n\nfour five six\n\nseven eight nine");
        var (summary, collection) = await IndexAsync(maxChars: 20);
        using (collection)
        {
            Assert.Equal(3, summary.Chunks);
            var skipped = Assert.Single(summary.Skipped);
            Assert.Equal("a.txt#1", skipped.Path);
            Assert.Null(collection.Get("a.txt#1"));
            Assert.NotNull(collection.Get("a.txt#3"));
        }
    }

    [Fact]
    public async Task Reindexing_a_shortened_file_removes_its_old_chunks()
    {
        Write("a.txt", "alpha beta gamma\n\ndelta epsilon zeta\n\neta theta iota kappa");
        var (first, collection) = await IndexAsync(maxChars: 20);
        collection.Dispose();
        Assert.Equal(3, first.Chunks);

        Write("a.txt", "omega only");
        var (second, again) = await IndexAsync(maxChars: 20);
        using (again)
        {
            Assert.Equal(1, second.Chunks);
            Assert.Equal(2, second.RemovedChunks);
            Assert.Equal(1, again.Count());
            Assert.Equal("omega only", again.Get("a.txt#0")!.Text);
        }
    }

    [Fact]
    public async Task A_missing_folder_is_a_clear_error()
    {
        var e = await Assert.ThrowsAsync<Core.QuiverException>(() => IndexAsync());
        Assert.Contains("does not exist", e.Message);
    }
}
