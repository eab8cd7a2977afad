using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Filtering;

namespace Quiver.Store.Ingestion;

/// <summary>
/// Indexes the .txt and .md files under a folder into a collection: paragraph chunks, embedded in batches, stored
/// with their file path (relative to the folder) and character offsets. Unreadable or binary files are skipped and
/// reported; re-indexing a file replaces its chunks and removes the ones it no longer has.
/// </summary>
public sealed class FolderIndexer(IEmbeddingGenerator<string, Embedding<float>> generator, ParagraphChunker chunker)
{
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".txt", ".md", ".markdown" };

    /// <summary>Chunks embedded and written per transaction.</summary>
    public int BatchSize { get; init; } = 256;

    public async Task<IndexSummary> IndexAsync(string folder, Collection collection, IProgress<IndexProgress>? progress, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            throw new QuiverException($"The folder '{folder}' does not exist. Pass a folder of .txt or .md files.");
        }

        var space = generator.GetService<EmbeddingSpace>();
        var clock = Stopwatch.StartNew();
        var root = Path.GetFullPath(folder);
        var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.Hidden })
            .Where(f => Extensions.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
        var skipped = new List<SkippedFile>();
        var batch = new List<Point>(BatchSize);
        int done = 0, indexed = 0, chunks = 0, removed = 0;
        long bytes = 0;

        async Task Flush()
        {
            if (batch.Count == 0)
            {
                return;
            }

            var embedded = await EmbedAsync(batch, skipped, cancellationToken);
            collection.Upsert(embedded, space);
            chunks += embedded.Count;
            batch.Clear();
        }

        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            progress?.Report(new IndexProgress(done, files.Count, chunks, bytes, relative));
            var text = TryRead(file, relative, skipped);
            if (text is null)
            {
                done++;
                continue;
            }

            bytes += new FileInfo(file).Length;
            var pieces = chunker.Chunk(text);
            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < pieces.Count; i++)
            {
                var id = $"{relative}#{i}";
                ids.Add(id);
                var payload = new JsonObject
                {
                    ["path"] = relative,
                    ["chunk"] = i,
                    ["start"] = pieces[i].Start,
                    ["end"] = pieces[i].End,
                };
                batch.Add(new Point(id, [], payload, pieces[i].Text));
                if (batch.Count >= BatchSize)
                {
                    await Flush();
                }
            }

            await Flush();
            var stale = collection.Ids(PayloadFilter.Equal("path", JsonValue.Create(relative))).Where(id => !ids.Contains(id)).ToList();
            removed += collection.Delete(stale);
            done++;
            indexed++;
            progress?.Report(new IndexProgress(done, files.Count, chunks, bytes, relative));
        }

        return new IndexSummary(indexed, chunks, bytes, removed, skipped, clock.Elapsed);
    }

    // Embeds a batch; when the batch call fails on some text, retries one by one and skips only the failing chunks.
    private async Task<List<Point>> EmbedAsync(List<Point> batch, List<SkippedFile> skipped, CancellationToken cancellationToken)
    {
        try
        {
            var embeddings = await generator.GenerateAsync(batch.Select(p => p.Text!), cancellationToken: cancellationToken);
            return batch.Select((p, i) => p with { Vector = embeddings[i].Vector.ToArray() }).ToList();
        }
        catch (QuiverException)
        {
            var result = new List<Point>(batch.Count);
            foreach (var point in batch)
            {
                try
                {
                    var embedding = await generator.GenerateAsync([point.Text!], cancellationToken: cancellationToken);
                    result.Add(point with { Vector = embedding[0].Vector.ToArray() });
                }
                catch (QuiverException e)
                {
                    skipped.Add(new SkippedFile(point.Id, e.Message));
                }
            }

            return result;
        }
    }

    private static string? TryRead(string file, string relative, List<SkippedFile> skipped)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            skipped.Add(new SkippedFile(relative, $"unreadable: {e.Message}"));
            return null;
        }

        if (bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).Contains((byte)0))
        {
            skipped.Add(new SkippedFile(relative, "binary content (NUL bytes)"));
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            skipped.Add(new SkippedFile(relative, "not valid UTF-8 text"));
            return null;
        }
    }
}
