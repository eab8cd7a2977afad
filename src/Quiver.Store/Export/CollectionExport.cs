using System.Globalization;
using Quiver.Core;
using Quiver.Store.Collections;

namespace Quiver.Store.Export;

/// <summary>
/// Writes a collection's points (vectors, payloads and texts) to JSONL, .npy or Parquet, streaming: the points come
/// from one read snapshot in id order and are held <see cref="ExportOptions.BatchSize"/> at a time, so memory does not
/// grow with the collection. Output goes to temporary files that are renamed into place only when complete.
/// </summary>
public static class CollectionExport
{
    /// <summary>The format a file name asks for: .jsonl (or .ndjson), .npy or .parquet.</summary>
    public static ExportFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jsonl" or ".ndjson" => ExportFormat.Jsonl,
        ".npy" => ExportFormat.Npy,
        ".parquet" => ExportFormat.Parquet,
        _ => throw new QuiverException($"Cannot tell the export format from the file name '{Path.GetFileName(path)}'. Name it .jsonl, .npy or .parquet, or give the format (--format jsonl|npy|parquet)."),
    };

    /// <summary>The files an export to <paramref name="path"/> in <paramref name="format"/> writes, the main one first.</summary>
    public static IReadOnlyList<string> FilesFor(string path, ExportFormat format) =>
        format == ExportFormat.Npy ? [path, NpyPointWriter.PointsPath(path)] : [path];

    public static async Task<ExportResult> Write(
        Collection collection,
        string path,
        ExportFormat format,
        ExportOptions? options = null,
        IProgress<ExportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        options ??= new ExportOptions();
        if (options.BatchSize < 1)
        {
            throw new QuiverException($"The export batch size is {options.BatchSize}; it must be 1 or more.");
        }

        path = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            throw new QuiverException($"The folder '{folder}' for the export does not exist. Create it first, or write somewhere else.");
        }

        var files = FilesFor(path, format);
        if (!options.Overwrite && files.FirstOrDefault(File.Exists) is { } existing)
        {
            throw new QuiverException($"'{existing}' already exists. Choose another name, or replace it with --force (ExportOptions.Overwrite).");
        }

        var total = collection.Count(options.Filter);
        progress?.Report(new ExportProgress(0, total));
        await using var writer = Create(collection, path, format);
        var batch = new List<Point>(Math.Min(options.BatchSize, (int)Math.Min(total + 1, int.MaxValue)));
        long written = 0;
        foreach (var point in collection.ReadAll(options.Filter))
        {
            batch.Add(point);
            if (batch.Count == options.BatchSize)
            {
                written += await Flush(writer, batch, cancellationToken);
                progress?.Report(new ExportProgress(written, Math.Max(total, written)));
            }
        }

        written += await Flush(writer, batch, cancellationToken);
        await writer.Complete(cancellationToken);
        progress?.Report(new ExportProgress(written, written));
        return new ExportResult(format, files, written, collection.Dimensions, files.Sum(f => new FileInfo(f).Length));
    }

    private static async Task<int> Flush(IPointWriter writer, List<Point> batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var count = batch.Count;
        if (count > 0)
        {
            await writer.Write(batch, cancellationToken);
            batch.Clear();
        }

        return count;
    }

    private static IPointWriter Create(Collection collection, string path, ExportFormat format) => format switch
    {
        ExportFormat.Jsonl => new JsonlPointWriter(path),
        ExportFormat.Npy => new NpyPointWriter(path, collection.Dimensions),
        ExportFormat.Parquet => new ParquetPointWriter(path, new Dictionary<string, string>
        {
            ["quiver.collection"] = collection.Name,
            ["quiver.space"] = collection.Space.ToString(),
            ["quiver.model"] = collection.Space.ModelId,
            ["quiver.dimensions"] = collection.Dimensions.ToString(CultureInfo.InvariantCulture),
            ["quiver.metric"] = collection.Space.Metric.ToString(),
            ["quiver.normalized"] = collection.Space.Normalized ? "true" : "false",
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format."),
    };
}
