using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;

namespace Quiver.Ingestion;

/// <summary>
/// Indexes the images under a folder (PNG, JPEG, GIF, BMP, WebP) into a collection with an image embedding model:
/// one point per file, its id the path relative to the folder, its payload the path, pixel size and format. A file
/// the model cannot decode is skipped and reported, and the batch goes on without it.
/// </summary>
public sealed class ImageFolderIndexer(IEmbeddingGenerator<DataContent, Embedding<float>> generator)
{
    public static readonly IReadOnlyDictionary<string, string> MediaTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".bmp"] = "image/bmp",
        [".webp"] = "image/webp",
    };

    /// <summary>Images embedded and written per transaction.</summary>
    public int BatchSize { get; init; } = 64;

    public async Task<IndexSummary> IndexAsync(string folder, Collection collection, IProgress<IndexProgress>? progress, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            throw new QuiverException($"The folder '{folder}' does not exist. Pass a folder of images ({string.Join(", ", MediaTypes.Keys)}).");
        }

        var space = generator.GetService<EmbeddingSpace>();
        var clock = Stopwatch.StartNew();
        var root = Path.GetFullPath(folder);
        var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden })
            .Where(f => MediaTypes.ContainsKey(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
        var skipped = new List<SkippedFile>();
        int done = 0, indexed = 0;
        long bytes = 0;
        foreach (var chunk in files.Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new List<(string Relative, DataContent Content)>(chunk.Length);
            foreach (var file in chunk)
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                try
                {
                    var data = await File.ReadAllBytesAsync(file, cancellationToken);
                    bytes += data.Length;
                    batch.Add((relative, new DataContent(data, MediaTypes[Path.GetExtension(file)]) { Name = relative }));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    skipped.Add(new SkippedFile(relative, $"unreadable: {e.Message}"));
                }
            }

            var points = await EmbedAsync(batch, skipped, cancellationToken);
            collection.Upsert(points, space);
            indexed += points.Count;
            done += chunk.Length;
            progress?.Report(new IndexProgress(done, files.Count, indexed, bytes, chunk[^1]));
        }

        return new IndexSummary(indexed, indexed, bytes, 0, skipped, clock.Elapsed);
    }

    // Embeds a batch; when one image fails, retries one by one and skips only the failing files.
    private async Task<List<Point>> EmbedAsync(List<(string Relative, DataContent Content)> batch, List<SkippedFile> skipped, CancellationToken cancellationToken)
    {
        try
        {
            var embeddings = await generator.GenerateAsync(batch.Select(b => b.Content), cancellationToken: cancellationToken);
            return batch.Select((b, i) => ToPoint(b.Relative, embeddings[i])).ToList();
        }
        catch (QuiverException)
        {
            var result = new List<Point>(batch.Count);
            foreach (var (relative, content) in batch)
            {
                try
                {
                    result.Add(ToPoint(relative, (await generator.GenerateAsync([content], cancellationToken: cancellationToken))[0]));
                }
                catch (QuiverException e)
                {
                    skipped.Add(new SkippedFile(relative, e.Message));
                }
            }

            return result;
        }
    }

    private static Point ToPoint(string relative, Embedding<float> embedding)
    {
        var payload = new JsonObject { [DocumentPayload.Path] = relative };
        foreach (var key in new[] { DocumentPayload.Width, DocumentPayload.Height, DocumentPayload.Format })
        {
            if (embedding.AdditionalProperties?.TryGetValue(key, out var value) == true && value is not null)
            {
                payload[key] = JsonValue.Create(value);
            }
        }

        return new Point(relative, embedding.Vector.ToArray(), payload, null);
    }
}
