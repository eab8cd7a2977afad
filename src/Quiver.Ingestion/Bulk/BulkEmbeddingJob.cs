using System.Diagnostics;
using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Npy;
using Quiver.Core.Spaces;
using Quiver.Ingestion.Records;

namespace Quiver.Ingestion.Bulk;

/// <summary>
/// Embeds every record of a lines, JSONL or CSV file into a .jsonl or .npy file, in input order, in bounded memory:
/// the input is streamed one window of records at a time (<see cref="BulkEmbeddingOptions.Window"/>), each window is
/// one generator call and is written before the next is read, and a checkpoint beside the output counts what is
/// durably written (<see cref="BulkEmbeddingOptions.CheckpointInterval"/>). A run that stops (a kill, a crash, a cancellation) is continued with <see cref="ExistingOutput.Resume"/>:
/// the checkpoint's model, options and input are checked, the output is cut back to the last counted record and the
/// run goes on from there, to the same bytes an uninterrupted run writes.
/// </summary>
public sealed class BulkEmbeddingJob(IEmbeddingGenerator<string, Embedding<float>> generator, BulkEmbeddingOptions options)
{
    /// <summary>The checkpoint beside an output: <c>OUTPUT.quiver-embed.json</c>.</summary>
    public static string CheckpointPath(string output) => output + ".quiver-embed.json";

    /// <summary>The format an output file's extension names: .jsonl (and .ndjson) or .npy.</summary>
    public static VectorFileFormat OutputFormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jsonl" or ".ndjson" => VectorFileFormat.Jsonl,
        ".npy" => VectorFileFormat.Npy,
        var other => throw new QuiverException(
            $"Cannot tell what to write to '{path}' from its extension '{other}'. Name the output .jsonl (one JSON object per record) or .npy (a float32 NumPy matrix)."),
    };

    public async Task<BulkEmbeddingSummary> RunAsync(IProgress<BulkEmbeddingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (options.Window < 1)
        {
            throw new QuiverException($"The window of batches in flight is {options.Window}; it must be at least 1.");
        }

        var clock = Stopwatch.StartNew();
        var run = ThisRun();
        var output = Path.GetFullPath(options.Output);
        var checkpointPath = CheckpointPath(output);
        var resumed = Prepare(output, checkpointPath, run);

        using var reader = TextRecordReader.Open(run.InputPath, run.InputFormat, options.Records);
        if (resumed is not null)
        {
            SkipVerified(reader, resumed);
        }

        using IVectorSink sink = run.OutputFormat switch
        {
            VectorFileFormat.Npy when resumed is null => new NpyVectorSink(NpyMatrixWriter.Create(output, run.Dimensions)),
            VectorFileFormat.Npy => new NpyVectorSink(NpyMatrixWriter.Append(output, run.Dimensions, resumed.Records)),
            _ when resumed is null => JsonlVectorSink.Create(output),
            _ => JsonlVectorSink.Append(output, resumed.OutputBytes),
        };
        var resumedRecords = resumed?.Records ?? 0;

        // What the output holds once flushed: the records of every window written, and the input bytes they came from.
        var (records, consumedBytes, consumedSha256) = (resumedRecords, reader.BytesConsumed, reader.ConsumedSha256());
        var sinceCheckpoint = Stopwatch.StartNew();
        void Checkpoint(bool complete)
        {
            sink.Flush();
            (run with
            {
                Records = records,
                ConsumedBytes = consumedBytes,
                ConsumedSha256 = Convert.ToHexStringLower(consumedSha256),
                OutputBytes = sink.Length,
                Complete = complete,
            }).Save(checkpointPath);
            sinceCheckpoint.Restart();
        }

        Checkpoint(complete: false);
        var window = new List<TextRecord>(options.Window);
        var texts = new string[options.Window];
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                window.Clear();
                while (window.Count < options.Window && reader.Read() is { } record)
                {
                    texts[window.Count] = record.Text;
                    window.Add(record);
                }

                if (window.Count == 0)
                {
                    break;
                }

                var embeddings = await EmbedAsync(window, new ArraySegment<string>(texts, 0, window.Count), run.Dimensions, cancellationToken);
                for (var i = 0; i < window.Count; i++)
                {
                    sink.Write(window[i].Index, window[i].Id, embeddings[i].Vector.Span);
                }

                (records, consumedBytes, consumedSha256) = (records + window.Count, reader.BytesConsumed, reader.ConsumedSha256());
                if (sinceCheckpoint.Elapsed >= options.CheckpointInterval)
                {
                    Checkpoint(complete: false);
                }

                progress?.Report(new BulkEmbeddingProgress(records, records - resumedRecords, consumedBytes, run.InputBytes));
            }
        }
        catch (OperationCanceledException)
        {
            // A cancelled run keeps every window it finished.
            Checkpoint(complete: false);
            throw;
        }

        Checkpoint(complete: true);
        progress?.Report(new BulkEmbeddingProgress(records, records - resumedRecords, consumedBytes, run.InputBytes));
        return new BulkEmbeddingSummary(records, resumedRecords, run.Dimensions, clock.Elapsed);
    }

    // This run as a checkpoint at its start: what it reads and writes, with which model and settings.
    private BulkEmbeddingCheckpoint ThisRun()
    {
        var input = Path.GetFullPath(options.Input);
        if (!File.Exists(input))
        {
            throw new QuiverException($"The input file '{input}' does not exist.");
        }

        var outputFormat = options.OutputFormat ?? OutputFormatOf(options.Output);
        if (outputFormat == VectorFileFormat.Npy && options.Records.IdField is not null)
        {
            throw new QuiverException(
                $"An .npy file holds only vectors (row i is record i), so it has no place for the id field \"{options.Records.IdField}\". Write .jsonl output to carry ids, or leave out the id field.");
        }

        var space = generator.GetService<EmbeddingSpace>()
            ?? throw new QuiverException("The embedding generator does not say which embedding space its vectors are in (GetService<EmbeddingSpace>()), which the checkpoint records. Use a Quiver generator.");
        var settings = new SortedDictionary<string, string>(options.Settings.ToDictionary());
        foreach (var (key, value) in options.Generation?.AdditionalProperties ?? [])
        {
            settings[key] = value?.ToString() ?? "null";
        }

        return new BulkEmbeddingCheckpoint
        {
            Model = space.ModelId,
            Revision = space.Revision,
            Dimensions = options.Generation?.Dimensions ?? space.Dimensions,
            Settings = settings,
            Window = options.Window,
            InputPath = input,
            InputBytes = new FileInfo(input).Length,
            InputFormat = options.InputFormat ?? TextRecordReader.FormatOf(input),
            Field = options.Records.Field,
            IdField = options.Records.IdField,
            OutputFormat = outputFormat,
            ConsumedSha256 = string.Empty,
        };
    }

    // The checkpoint to continue from, or null to start afresh (with nothing left of an earlier output).
    private BulkEmbeddingCheckpoint? Prepare(string output, string checkpointPath, BulkEmbeddingCheckpoint run)
    {
        if (output == run.InputPath || checkpointPath == run.InputPath)
        {
            throw new QuiverException($"The output '{output}' is the input file. Write the vectors to another file.");
        }

        var outputExists = File.Exists(output);
        var checkpointExists = File.Exists(checkpointPath);
        switch (options.ExistingOutput)
        {
            case ExistingOutput.Overwrite:
            case ExistingOutput.Resume when !outputExists && !checkpointExists:
                File.Delete(checkpointPath);
                return null;
            case ExistingOutput.Refuse when outputExists || checkpointExists:
                var state = checkpointExists ? State(BulkEmbeddingCheckpoint.Load(checkpointPath)) : "with no checkpoint";
                throw new QuiverException($"'{output}' already exists ({state}). Continue an interrupted run with --resume, or replace it with --force.");
            case ExistingOutput.Refuse:
                return null;
        }

        if (!checkpointExists)
        {
            throw new QuiverException(
                $"'{output}' exists but its checkpoint '{checkpointPath}' does not, so there is no record of what it holds to continue from. Start over with --force.");
        }

        if (!outputExists)
        {
            throw new QuiverException($"The checkpoint '{checkpointPath}' counts records of '{output}', which no longer exists. Start over with --force.");
        }

        var checkpoint = BulkEmbeddingCheckpoint.Load(checkpointPath);
        var differences = checkpoint.DifferencesFrom(run).ToList();
        return differences.Count == 0
            ? checkpoint
            : throw new QuiverException(
                $"Cannot resume '{output}': {string.Join("; ", differences)}. Resume with the model, options and input of the interrupted run, or start over with --force.");
    }

    private static string State(BulkEmbeddingCheckpoint checkpoint) =>
        checkpoint.Complete ? $"complete, {checkpoint.Records:N0} records" : $"an interrupted run, {checkpoint.Records:N0} records so far";

    // Rereads the records the checkpoint counts, without embedding them, and checks they are the same bytes.
    private static void SkipVerified(TextRecordReader reader, BulkEmbeddingCheckpoint checkpoint)
    {
        for (long i = 0; i < checkpoint.Records; i++)
        {
            if (reader.Read() is null)
            {
                throw new QuiverException(
                    $"The input '{checkpoint.InputPath}' now has {i:N0} records, fewer than the {checkpoint.Records:N0} its checkpoint counts; it changed since the interrupted run. Start over with --force.");
            }
        }

        if (reader.BytesConsumed != checkpoint.ConsumedBytes || Convert.ToHexStringLower(reader.ConsumedSha256()) != checkpoint.ConsumedSha256)
        {
            throw new QuiverException(
                $"The first {checkpoint.Records:N0} records of '{checkpoint.InputPath}' are not the ones the interrupted run embedded (their bytes differ); the input changed. Start over with --force.");
        }
    }

    private async Task<GeneratedEmbeddings<Embedding<float>>> EmbedAsync(List<TextRecord> window, ArraySegment<string> texts, int dimensions, CancellationToken cancellationToken)
    {
        GeneratedEmbeddings<Embedding<float>> embeddings;
        try
        {
            embeddings = await generator.GenerateAsync(texts, options.Generation, cancellationToken);
        }
        catch (QuiverException) when (window.Count > 1)
        {
            // Name the record that failed: embed the window's records one at a time until one fails.
            foreach (var record in window)
            {
                await EmbedAsync([record], new ArraySegment<string>([record.Text]), dimensions, cancellationToken);
            }

            throw;
        }
        catch (QuiverException e)
        {
            throw new QuiverException($"Line {window[0].Line} (record {window[0].Index}) could not be embedded: {e.Message}", e);
        }

        if (embeddings.Count != window.Count)
        {
            throw new QuiverException($"The embedding generator returned {embeddings.Count} vectors for {window.Count} texts (lines {window[0].Line}–{window[^1].Line}).");
        }

        foreach (var embedding in embeddings)
        {
            if (embedding.Vector.Length != dimensions)
            {
                throw new QuiverException($"The embedding generator returned a {embedding.Vector.Length}-d vector where {dimensions}-d ones were expected (lines {window[0].Line}–{window[^1].Line}).");
            }
        }

        return embeddings;
    }
}
