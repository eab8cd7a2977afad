using System.Text;
using Quiver.Core.Text;
using Quiver.Ingestion;
using Quiver.Store.Collections;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Quiver.Ingestion.Tests;

public sealed class DocumentIngestionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Docs => Path.Combine(_temp.Path, "docs");

    private string Write(string relative, string text) => WriteBytes(relative, Encoding.UTF8.GetBytes(text));

    private string WriteBytes(string relative, byte[] bytes)
    {
        var path = Path.Combine(Docs, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private async Task<(IndexSummary Summary, Collection Collection, BagOfWordsGenerator Generator)> IndexAsync(Collection? collection = null, int maxTokens = 12)
    {
        collection ??= new CollectionStore(Path.Combine(_temp.Path, "store")).OpenOrCreate("docs", new CollectionOptions(BagOfWordsGenerator.Space));
        var generator = new BagOfWordsGenerator();
        var summary = await new FolderIndexer(generator, new TokenChunker(new WhitespaceTokenCounter(maxTokens), overlapTokens: 2)) { BatchSize = 4 }
            .IndexAsync(Docs, collection, progress: null, CancellationToken.None);
        return (summary, collection, generator);
    }

    private static List<Point> All(Collection collection) =>
        collection.Ids(new Store.Filtering.PayloadFilter()).Select(id => collection.Get(id)!).ToList();

    private static byte[] Pdf(params string[] pages)
    {
        var builder = new PdfDocumentBuilder();
        builder.DocumentInformation.Title = "Generated report";
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        foreach (var text in pages)
        {
            var page = builder.AddPage(PageSize.A4);
            page.AddText(text, 12, new PdfPoint(40, 700), font);
        }

        return builder.Build();
    }

    [Fact]
    public async Task Markdown_sections_titles_and_offsets_reach_the_payload()
    {
        var markdown = "# Guide\n\nIntro words here.\n\n## Install\n\nRun the installer now. Then restart.\n";
        Write("guide.md", markdown);
        var (summary, collection, _) = await IndexAsync();
        using (collection)
        {
            Assert.Equal(1, summary.Files);
            var points = All(collection);
            Assert.All(points, p =>
            {
                Assert.Equal("guide.md", p.Payload!["path"]!.GetValue<string>());
                Assert.Equal("Guide", p.Payload["title"]!.GetValue<string>());
                Assert.Equal(p.Text, markdown[p.Payload["start"]!.GetValue<int>()..p.Payload["end"]!.GetValue<int>()]);
            });
            var install = Assert.Single(points, p => p.Text!.Contains("installer", StringComparison.Ordinal));
            Assert.Equal("Install", install.Payload!["heading"]!.GetValue<string>());
            Assert.DoesNotContain("Intro", install.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Html_keeps_text_title_and_headings_and_drops_scripts()
    {
        Write("page.html", """
            <html><head><title>Harbour news</title><style>body { color: red }</style><script>var secret = "tracking";</script></head>
            <body><h1>Boats</h1><p>Fishing boats   returned.</p><script>alert("x")</script><noscript>enable javascript</noscript>
            <h2>Weather</h2><p>Storm <b>warning</b> tonight.</p></body></html>
            """);
        var (_, collection, _) = await IndexAsync(maxTokens: 50);
        using (collection)
        {
            var points = All(collection);
            var text = string.Join("\n", points.Select(p => p.Text));
            Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
            Assert.DoesNotContain("alert", text, StringComparison.Ordinal);
            Assert.DoesNotContain("javascript", text, StringComparison.Ordinal);
            Assert.DoesNotContain("color", text, StringComparison.Ordinal);
            Assert.All(points, p => Assert.Equal("Harbour news", p.Payload!["title"]!.GetValue<string>()));
            var weather = Assert.Single(points, p => p.Payload!["heading"]?.GetValue<string>() == "Weather");
            Assert.Equal("Weather\nStorm warning tonight.", weather.Text);
            Assert.Contains(points, p => p.Text == "Boats\nFishing boats returned.");
        }
    }

    [Fact]
    public async Task Pdf_pages_are_sections_and_a_malformed_pdf_is_skipped_by_name()
    {
        WriteBytes("report.pdf", Pdf("First page about whales.", "Second page about ships."));
        WriteBytes("broken.pdf", [.. "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"u8]);
        WriteBytes("random.pdf", [.. Enumerable.Range(0, 500).Select(i => (byte)(i * 37))]);
        var (summary, collection, _) = await IndexAsync(maxTokens: 50);
        using (collection)
        {
            Assert.Equal(1, summary.Files);
            Assert.Contains(summary.Skipped, s => s.Path == "broken.pdf" && s.Reason.Contains("PDF", StringComparison.Ordinal));
            Assert.Contains(summary.Skipped, s => s.Path == "random.pdf");
            var points = All(collection);
            Assert.Equal(2, points.Count);
            var second = Assert.Single(points, p => p.Payload!["page"]!.GetValue<int>() == 2);
            Assert.Contains("Second page about ships.", second.Text, StringComparison.Ordinal);
            Assert.Equal("Generated report", second.Payload!["title"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Jsonl_records_keep_their_fields_and_a_bad_line_is_named_by_number()
    {
        Write("records.jsonl", "{\"text\": \"whales sing\", \"lang\": \"en\", \"title\": \"Song\"}\n{not json\n\n{\"body\": \"no text field\"}\n{\"text\": \"ships sail\", \"year\": 1851}\n");
        var (summary, collection, _) = await IndexAsync();
        using (collection)
        {
            Assert.Contains(summary.Skipped, s => s.Path == "records.jsonl:2" && s.Reason.StartsWith("line 2:", StringComparison.Ordinal));
            Assert.Contains(summary.Skipped, s => s.Path == "records.jsonl:4" && s.Reason.Contains("\"text\"", StringComparison.Ordinal));
            var first = collection.Get("records.jsonl:1#0")!;
            Assert.Equal("whales sing", first.Text);
            Assert.Equal("en", first.Payload!["lang"]!.GetValue<string>());
            Assert.Equal("Song", first.Payload["title"]!.GetValue<string>());
            Assert.Equal(1, first.Payload["line"]!.GetValue<int>());
            Assert.Null(first.Payload["text"]);
            Assert.Equal(1851, collection.Get("records.jsonl:5#0")!.Payload!["year"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Reindexing_skips_unchanged_files_rechunks_changed_ones_and_removes_deleted_ones()
    {
        Write("a.txt", "whales swim in the deep sea. They sing at night.");
        Write("b.txt", "cats sleep on warm mats.");
        Write("c.md", "# Moon\n\nrockets fly to the moon.");
        var (first, collection, _) = await IndexAsync();
        using (collection)
        {
            Assert.Equal(3, first.Files);
            var before = collection.Count();

            var (again, _, generator) = await IndexAsync(collection);
            Assert.Equal((0, 3, 0, 0), (again.Files, again.UnchangedFiles, again.Chunks, again.RemovedChunks));
            Assert.Equal(0, generator.Calls);
            Assert.Equal(before, collection.Count());

            Write("a.txt", "dogs bark.");
            File.Delete(Path.Combine(Docs, "c.md"));
            var (changed, _, _) = await IndexAsync(collection);
            Assert.Equal((1, 1, 1), (changed.Files, changed.UnchangedFiles, changed.RemovedFiles));
            var points = All(collection);
            Assert.DoesNotContain(points, p => p.Text!.Contains("whales", StringComparison.Ordinal) || p.Text.Contains("rockets", StringComparison.Ordinal));
            Assert.Equal("dogs bark.", Assert.Single(points, p => p.Payload!["path"]!.GetValue<string>() == "a.txt").Text);
            Assert.Empty(collection.SearchKeyword("whales rockets", 5));
            Assert.Equal(2, collection.Count());
        }
    }

    [Fact]
    public async Task Text_and_markdown_chunks_carry_the_lines_they_span_and_html_has_none()
    {
        var text = string.Join('\n', Enumerable.Range(1, 10).Select(i => $"Line {i} tells of whales and ships at sea."));
        Write("ocean.txt", text);
        Write("ocean.md", "# Ocean\n\n" + text);
        Write("page.html", "<html><body><p>Whales sing.</p><p>Ships sail.</p></body></html>");
        var (_, collection, _) = await IndexAsync(maxTokens: 20);
        using (collection)
        {
            var points = All(collection);
            foreach (var point in points.Where(p => !p.Id.StartsWith("page.html", StringComparison.Ordinal)))
            {
                var file = File.ReadAllText(Path.Combine(Docs, point.Payload!["path"]!.GetValue<string>()));
                var start = point.Payload["start"]!.GetValue<int>();
                var end = point.Payload["end"]!.GetValue<int>();
                Assert.Equal(1 + file[..start].Count(c => c == '\n'), point.Payload["first_line"]!.GetValue<int>());
                Assert.Equal(1 + file[..(end - 1)].Count(c => c == '\n'), point.Payload["last_line"]!.GetValue<int>());
            }

            // 20-word chunks of 9-word lines span two or three lines each, and the last one ends on line 10.
            Assert.Contains(points, p => p.Id.StartsWith("ocean.txt", StringComparison.Ordinal) && p.Payload!["last_line"]!.GetValue<int>() == 10);
            Assert.All(points.Where(p => p.Id.StartsWith("ocean.txt", StringComparison.Ordinal)), p => Assert.True(p.Payload!["last_line"]!.GetValue<int>() > p.Payload["first_line"]!.GetValue<int>()));
            Assert.All(points.Where(p => p.Id.StartsWith("page.html", StringComparison.Ordinal)), p => Assert.Null(p.Payload!["first_line"]));
        }
    }

    [Fact]
    public async Task Progress_moves_within_a_large_file_and_ends_at_the_folder_size()
    {
        var text = string.Join(' ', Enumerable.Range(1, 200).Select(i => $"Sentence {i} is about whales."));
        var path = Write("long.txt", text);
        Write("short.txt", "Ships sail.");
        var reports = new List<IndexProgress>();
        using var collection = new CollectionStore(Path.Combine(_temp.Path, "store")).OpenOrCreate("docs", new CollectionOptions(BagOfWordsGenerator.Space));
        await new FolderIndexer(new BagOfWordsGenerator(), new TokenChunker(new WhitespaceTokenCounter(12), overlapTokens: 0)) { BatchSize = 16, EmbedSlice = 4 }
            .IndexAsync(Docs, collection, new Core.SynchronousProgress<IndexProgress>(reports.Add), CancellationToken.None);

        var total = new FileInfo(path).Length + new FileInfo(Path.Combine(Docs, "short.txt")).Length;
        Assert.All(reports, r => Assert.Equal(total, r.BytesTotal));
        var withinLong = reports.Where(r => r.FilesDone == 0 && r.CurrentFile == "long.txt").Select(r => r.Bytes).Distinct().ToList();
        Assert.True(withinLong.Count > 10, $"progress moved {withinLong.Count} times within the large file");
        Assert.Equal(withinLong.Order(), withinLong);
        Assert.Equal((2, total, (int)collection.Count()), (reports[^1].FilesDone, reports[^1].Bytes, reports[^1].Chunks));
    }

    [Fact]
    public async Task Small_files_share_embedding_calls()
    {
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            Write($"{name}.txt", $"Note {name} about whales.");
        }

        var (summary, collection, generator) = await IndexAsync();
        using (collection)
        {
            // Five one-chunk files in batches of four: two calls, where a call per file made five.
            Assert.Equal((5, 5), (summary.Files, summary.Chunks));
            Assert.Equal(2, generator.Calls);
            Assert.Equal(5, collection.Count());
        }
    }
}
