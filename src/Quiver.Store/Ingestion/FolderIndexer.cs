using System.Diagnostics;
using System.IO.Hashing;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;

namespace Quiver.Store.Ingestion;

/// <summary>
/// Indexes the documents under a folder into a collection: text, Markdown, HTML, PDF and JSONL records, chunked,
/// embedded in batches and stored with their source path (relative to the folder), title, heading, page and
/// character offsets. Re-indexing is incremental by content hash: unchanged files are skipped, a changed file's
/// chunks are replaced (its old ones deleted), and the chunks of files no longer in the folder are removed. Unreadable
/// or malformed files are skipped and reported by name (a bad JSONL line by its number).
/// </summary>
public sealed class FolderIndexer(IEmbeddingGenerator<string, Embedding<float>> generator, IDocumentChunker chunker)
{
    public static IReadOnlySet<string> Extensions => DocumentReader.Extensions;

    /// <summary>Chunks embedded and written per transaction.</summary>
    public int BatchSize { get; init; } = 256;

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
            .ToList();
        var existing = collection.Sources();
        var skipped = new List<SkippedFile>();
        var batch = new List<Point>(BatchSize);
        int done = 0, indexed = 0, unchanged = 0, chunks = 0, removed = 0;
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

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            seen.Add(relative);
            progress?.Report(new IndexProgress(done, files.Count, chunks, bytes, relative));
            var content = TryReadBytes(file, relative, skipped);
            done++;
            if (content is null)
            {
                continue;
            }

            var hash = Convert.ToHexStringLower(XxHash128.Hash(content));
            var before = existing.GetValueOrDefault(relative);
            if (before.Hash == hash)
            {
                unchanged++;
                continue;
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            var readable = true;
            try
            {
                foreach (var point in Points(relative, Path.GetExtension(file), content, hash, skipped))
                {
                    ids.Add(point.Id);
                    batch.Add(point);
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

            await Flush();
            if (before.Ids is not null)
            {
                removed += collection.Delete(before.Ids.Where(id => !ids.Contains(id)).ToList());
            }

            if (readable)
            {
                bytes += content.Length;
                indexed++;
            }

            progress?.Report(new IndexProgress(done, files.Count, chunks, bytes, relative));
        }

        // Files indexed before that are gone now.
        var gone = existing.Where(e => !seen.Contains(e.Key)).ToList();
        foreach (var (_, (_, ids)) in gone)
        {
            removed += collection.Delete(ids);
        }

        return new IndexSummary(indexed, chunks, bytes, removed, skipped, clock.Elapsed, unchanged, gone.Count);
    }

    private IEnumerable<Point> Points(string relative, string extension, byte[] content, string hash, List<SkippedFile> skipped)
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
        var pieces = chunker.Chunk(document);
        for (var i = 0; i < pieces.Count; i++)
        {
            yield return new Point($"{relative}#{i}", [], Payload(relative, hash, i, document.Title, pieces[i]), pieces[i].Text);
        }
    }

    // One record per line: its text field is chunked, its other fields are copied into each chunk's payload.
    private IEnumerable<Point> Records(string relative, string text, string hash, List<SkippedFile> skipped)
    {
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
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
            var title = record["title"] is JsonValue t && t.TryGetValue<string>(out var ts) ? ts : null;
            var pieces = chunker.Chunk(ExtractedDocument.Plain(body));
            for (var i = 0; i < pieces.Count; i++)
            {
                var payload = (JsonObject)record.DeepClone();
                foreach (var (key, value) in Payload(relative, hash, i, title, pieces[i]))
                {
                    payload[key] = value?.DeepClone();
                }

                payload["line"] = lineNumber;
                yield return new Point($"{relative}:{lineNumber}#{i}", [], payload, pieces[i].Text);
            }
        }
    }

    private static JsonObject Payload(string relative, string hash, int chunk, string? title, DocumentChunk piece)
    {
        var payload = new JsonObject
        {
            ["path"] = relative,
            ["chunk"] = chunk,
            ["start"] = piece.Start,
            ["end"] = piece.End,
            ["hash"] = hash,
        };
        if (title is not null)
        {
            payload["title"] = title;
        }

        if (piece.Heading is not null)
        {
            payload["heading"] = piece.Heading;
        }

        if (piece.Page is not null)
        {
            payload["page"] = piece.Page;
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
