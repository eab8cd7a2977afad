using System.Diagnostics;
using System.IO.Hashing;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;

namespace Quiver.Ingestion;

/// <summary>
/// Indexes the documents under a folder into a collection: text, Markdown, HTML, PDF and JSONL records, chunked,
/// embedded in batches and stored with their source path (relative to the folder), title, heading, page, character
/// offsets and, for text and Markdown, the file's first and last line (first_line, last_line). Re-indexing is incremental by content hash: unchanged files are skipped, a changed file's
/// chunks are replaced (its old ones deleted), and the chunks of files no longer in the folder are removed. Unreadable
/// or malformed files are skipped and reported by name (a bad JSONL line by its number).
/// </summary>
public sealed class FolderIndexer(IEmbeddingGenerator<string, Embedding<float>> generator, IDocumentChunker chunker)
{
    public static IReadOnlySet<string> Extensions => DocumentReader.Extensions;

    /// <summary>Chunks embedded and written per transaction; chunks of several small files share one.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Chunks per embedding call within a batch; progress is reported after each, so it moves every few seconds.</summary>
    public int EmbedSlice { get; init; } = 32;

    /// <summary>The field of a JSONL record that holds its text; the record's other fields become payload.</summary>
    public string JsonTextField { get; init; } = "text";

    public async Task<IndexSummary> IndexAsync(string folder, Collection collection, IProgress<IndexProgress>? progress, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            throw new QuiverException($"The folder '{folder}' does not exist. Pass a folder of documents ({string.Join(", ", Extensions.Order())}).");
        }

        var space = generator.GetService<EmbeddingSpace>();
        var clock = Stopwatch.StartNew();
        var root = Path.GetFullPath(folder);
        var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.Hidden })
            .Where(f => Extensions.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)
            .Select(f => new FileInfo(f))
            .ToList();
        var totalBytes = files.Sum(f => f.Length);
        var existing = collection.Sources(DocumentPayload.Path, DocumentPayload.Hash);
        var skipped = new List<SkippedFile>();
        var batch = new List<(Point Point, long Bytes)>(BatchSize);

        // Files whose chunks are all in the batch or written: their stale chunks go once their new ones are written, and
        // only then do they count as done.
        var chunked = new List<(IReadOnlyList<string>? Stale, long Bytes, bool Readable)>();
        int done = 0, indexed = 0, unchanged = 0, chunks = 0, removed = 0;
        long bytes = 0, progressBytes = 0;
        string? current = null;
        var embedding = new Stopwatch();
        var storage = new Stopwatch();

        void Report() => progress?.Report(new IndexProgress(done, files.Count, chunks, progressBytes, current, totalBytes));

        async Task Flush()
        {
            var written = new List<Point>(batch.Count);
            for (var from = 0; from < batch.Count; from += EmbedSlice)
            {
                var slice = batch.GetRange(from, Math.Min(EmbedSlice, batch.Count - from));
                embedding.Start();
                var embedded = await EmbedAsync(slice.Select(p => p.Point).ToList(), skipped, cancellationToken);
                embedding.Stop();
                written.AddRange(embedded);
                chunks += embedded.Count;
                progressBytes += slice.Sum(p => p.Bytes);
                Report();
            }

            storage.Start();
            if (written.Count > 0)
            {
                collection.Upsert(written, space);
            }

            batch.Clear();
            foreach (var (stale, size, readable) in chunked)
            {
                removed += stale is null ? 0 : collection.Delete(stale);
                bytes += readable ? size : 0;
                indexed += readable ? 1 : 0;
                done++;
            }

            chunked.Clear();
            storage.Stop();
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(root, file.FullName).Replace('\\', '/');
            seen.Add(relative);
            current = relative;
            Report();
            var content = TryReadBytes(file.FullName, relative, skipped);
            var credited = 0L;
            if (content is not null && Convert.ToHexStringLower(XxHash128.Hash(content)) is var hash && existing.GetValueOrDefault(relative) is var before && before.Hash != hash)
            {
                var ids = new HashSet<string>(StringComparer.Ordinal);
                var readable = true;
                try
                {
                    foreach (var (point, share) in Points(relative, file.Extension, content, hash, skipped))
                    {
                        ids.Add(point.Id);
                        var pointBytes = (long)(share * content.Length) - credited;
                        credited += pointBytes;
                        batch.Add((point, pointBytes));
                        if (batch.Count >= BatchSize)
                        {
                            await Flush();
                        }
                    }
                }
                catch (DocumentFormatException e)
                {
                    skipped.Add(new SkippedFile(relative, e.Message));
                    readable = false;
                }

                chunked.Add((before.Ids?.Where(id => !ids.Contains(id)).ToList(), content.Length, readable));
            }
            else
            {
                unchanged += content is null ? 0 : 1;
                done++;
            }

            progressBytes += file.Length - credited;
            Report();
        }

        await Flush();
        Report();

        // Files indexed before that are gone now.
        var gone = existing.Where(e => !seen.Contains(e.Key)).ToList();
        storage.Start();
        foreach (var (_, (_, ids)) in gone)
        {
            removed += collection.Delete(ids);
        }

        storage.Stop();
        return new IndexSummary(indexed, chunks, bytes, removed, skipped, clock.Elapsed, unchanged, gone.Count)
        {
            EmbeddingTime = embedding.Elapsed,
            StorageTime = storage.Elapsed,
        };
    }

    // Each chunk with how far through the file's text it ends (0 to 1), for progress within a file.
    private IEnumerable<(Point Point, double Share)> Points(string relative, string extension, byte[] content, string hash, List<SkippedFile> skipped)
    {
        if (extension.Equals(".jsonl", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var point in Records(relative, DocumentReader.Text(content), hash, skipped))
            {
                yield return point;
            }

            yield break;
        }

        var document = DocumentReader.Read(extension, content);
        var lines = document.TextIsFile ? new LineIndex(document.Text) : null;
        var pieces = chunker.Chunk(document);
        for (var i = 0; i < pieces.Count; i++)
        {
            var payload = Payload(relative, hash, i, document.Title, pieces[i]);
            if (lines is not null)
            {
                payload[DocumentPayload.FirstLine] = lines.LineOf(pieces[i].Start);
                payload[DocumentPayload.LastLine] = lines.LineOf(Math.Max(pieces[i].Start, pieces[i].End - 1));
            }

            yield return (new Point($"{relative}#{i}", [], payload, pieces[i].Text), (double)pieces[i].End / Math.Max(document.Text.Length, 1));
        }
    }

    // One record per line: its text field is chunked, its other fields are copied into each chunk's payload.
    private IEnumerable<(Point Point, double Share)> Records(string relative, string text, string hash, List<SkippedFile> skipped)
    {
        var lineNumber = 0;
        var position = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            position += line.Length + 1;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonObject record;
            string body;
            try
            {
                record = JsonNode.Parse(line) as JsonObject ?? throw new DocumentFormatException("not a JSON object");
                body = record[JsonTextField] is JsonValue value && value.TryGetValue<string>(out var s)
                    ? s
                    : throw new DocumentFormatException($"no string field \"{JsonTextField}\"");
            }
            catch (Exception e) when (e is JsonException or DocumentFormatException)
            {
                skipped.Add(new SkippedFile($"{relative}:{lineNumber}", $"line {lineNumber}: {e.Message}"));
                continue;
            }

            record.Remove(JsonTextField);
            var title = record[DocumentPayload.Title] is JsonValue t && t.TryGetValue<string>(out var ts) ? ts : null;
            var pieces = chunker.Chunk(ExtractedDocument.Plain(body));
            for (var i = 0; i < pieces.Count; i++)
            {
                var payload = (JsonObject)record.DeepClone();
                foreach (var (key, value) in Payload(relative, hash, i, title, pieces[i]))
                {
                    payload[key] = value?.DeepClone();
                }

                payload[DocumentPayload.Line] = lineNumber;
                yield return (new Point($"{relative}:{lineNumber}#{i}", [], payload, pieces[i].Text), (double)Math.Min(position, text.Length) / Math.Max(text.Length, 1));
            }
        }
    }

    private static JsonObject Payload(string relative, string hash, int chunk, string? title, DocumentChunk piece)
    {
        var payload = new JsonObject
        {
            [DocumentPayload.Path] = relative,
            [DocumentPayload.Chunk] = chunk,
            [DocumentPayload.Start] = piece.Start,
            [DocumentPayload.End] = piece.End,
            [DocumentPayload.Hash] = hash,
        };
        if (title is not null)
        {
            payload[DocumentPayload.Title] = title;
        }

        if (piece.Heading is not null)
        {
            payload[DocumentPayload.Heading] = piece.Heading;
        }

        if (piece.Page is not null)
        {
            payload[DocumentPayload.Page] = piece.Page;
        }

        return payload;
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

    private static byte[]? TryReadBytes(string file, string relative, List<SkippedFile> skipped)
    {
        try
        {
            return File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            skipped.Add(new SkippedFile(relative, $"unreadable: {e.Message}"));
            return null;
        }
    }
}
