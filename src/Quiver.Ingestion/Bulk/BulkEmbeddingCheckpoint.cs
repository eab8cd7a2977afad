using System.Text.Json;
using System.Text.Json.Serialization;
using Quiver.Core;
using Quiver.Ingestion.Records;

namespace Quiver.Ingestion.Bulk;

/// <summary>
/// The sidecar of a bulk embedding output: which vectors it holds (model space and the options that change them),
/// which input they came from (its path and size, and the length and SHA-256 of the part read), and how far the run
/// got (records, output bytes). It is rewritten once the output is durable, so it never counts more than the output
/// holds. A resumed run must match it in everything but the input's path: a moved input is recognised by its bytes.
/// </summary>
internal sealed record BulkEmbeddingCheckpoint
{
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public int Version { get; init; } = CurrentVersion;

    public required string Model { get; init; }

    public required string Revision { get; init; }

    public required int Dimensions { get; init; }

    /// <summary>What else changes the vectors, as text: generation options beyond dimensions (a transformer's truncation policy) and the caller's settings (a prompt).</summary>
    public required SortedDictionary<string, string> Settings { get; init; }

    public required int Window { get; init; }

    public required string InputPath { get; init; }

    public required long InputBytes { get; init; }

    public required TextRecordFormat InputFormat { get; init; }

    public required string Field { get; init; }

    public string? IdField { get; init; }

    public required VectorFileFormat OutputFormat { get; init; }

    public long Records { get; init; }

    public long ConsumedBytes { get; init; }

    /// <summary>SHA-256 (hex) of the input's first <see cref="ConsumedBytes"/> bytes: the whole file's once complete.</summary>
    public required string ConsumedSha256 { get; init; }

    public long OutputBytes { get; init; }

    public bool Complete { get; init; }

    public static BulkEmbeddingCheckpoint Load(string path)
    {
        try
        {
            var checkpoint = JsonSerializer.Deserialize<BulkEmbeddingCheckpoint>(File.ReadAllBytes(path), Json)
                ?? throw new JsonException("the file holds null");
            return checkpoint.Version == CurrentVersion
                ? checkpoint
                : throw new QuiverException($"The checkpoint '{path}' is version {checkpoint.Version}; this Quiver reads version {CurrentVersion}. Start over (--force).");
        }
        catch (JsonException e)
        {
            throw new StoredDataException(path, $"The checkpoint '{path}' cannot be read ({e.Message}). Start over (--force).", e);
        }
    }

    /// <summary>Written beside, made durable, then renamed over the old one, so a crash leaves one whole checkpoint or the other.</summary>
    public void Save(string path)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, this, Json);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>What makes this run's vectors differ from those the checkpoint counts; empty when it may be continued.</summary>
    public IEnumerable<string> DifferencesFrom(BulkEmbeddingCheckpoint run)
    {
        if (Model != run.Model || Revision != run.Revision || Dimensions != run.Dimensions)
        {
            yield return $"it holds vectors of {Model}@{Short(Revision)} ({Dimensions}-d), this run makes {run.Model}@{Short(run.Revision)} ({run.Dimensions}-d)";
        }

        if (!Settings.SequenceEqual(run.Settings))
        {
            yield return $"it was embedded with {Describe(Settings)}, this run with {Describe(run.Settings)}";
        }

        if (InputBytes != run.InputBytes)
        {
            yield return $"its input '{InputPath}' was {InputBytes:N0} bytes, '{run.InputPath}' is {run.InputBytes:N0}";
        }

        if (InputFormat != run.InputFormat || Field != run.Field || IdField != run.IdField)
        {
            yield return $"it read {InputFormat} records (text \"{Field}\", id {(IdField is null ? "none" : $"\"{IdField}\"")}), " +
                $"this run reads {run.InputFormat} records (text \"{run.Field}\", id {(run.IdField is null ? "none" : $"\"{run.IdField}\"")})";
        }

        if (OutputFormat != run.OutputFormat)
        {
            yield return $"it writes {OutputFormat}, this run {run.OutputFormat}";
        }

        if (Window != run.Window)
        {
            // Transformers batch a window's texts by length; the same windows give bit-identical vectors.
            yield return $"it embedded windows of {Window} records, this run {run.Window} (resume with the same window)";
        }
    }

    private static string Short(string revision) => revision.Length > 12 ? revision[..12] : revision;

    private static string Describe(SortedDictionary<string, string> settings) =>
        settings.Count == 0 ? "default settings" : string.Join(", ", settings.Select(s => $"{s.Key} \"{s.Value}\""));
}
