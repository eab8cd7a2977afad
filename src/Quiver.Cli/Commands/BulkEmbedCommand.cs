using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Quiver.Cli.Parsing;
using Quiver.Core;
using Quiver.Core.Spaces;
using Quiver.Catalogue;
using Quiver.Ingestion.Bulk;
using Quiver.Ingestion.Records;
using Quiver.Models;
using Quiver.Models.Onnx;
using Spectre.Console;

namespace Quiver.Cli.Commands;

/// <summary>
/// <c>quiver embed --input FILE --output FILE</c>: a whole lines, JSONL or CSV file into .jsonl or .npy vectors, in
/// bounded memory, resumable, through the library's <see cref="BulkEmbeddingJob"/>. It shares the embed verb's model
/// options and adds its own.
/// </summary>
internal sealed class BulkEmbedCommand(
    CliContext context,
    Option<string> model,
    Option<string?> pooling,
    Option<int?> dimensions,
    Option<TruncationPolicy> truncation,
    Option<string?> prompt,
    Option<string?> promptText,
    Option<bool> image)
{
    public const string Examples =
        "  quiver embed --input sentences.txt --output vectors.npy\n" +
        "  quiver embed --input docs.jsonl --field body --id-field id --output vectors.jsonl --model all-minilm-l6-v2\n" +
        "  quiver embed --input docs.jsonl --field body --id-field id --output vectors.jsonl --model all-minilm-l6-v2 --resume   # after a kill or Ctrl+C";

    private readonly Option<FileInfo?> _input = new("--input", "-i")
    {
        Description = "Embed every record of a file: .txt (one text per line; an empty line is an empty text, so output row N is line N), .jsonl or .csv (with a header row). " +
            "Needs --output. Records are embedded as documents: with the model's document prompt, if it has one, unless --prompt or --prompt-text says otherwise",
    };

    private readonly Option<FileInfo?> _output = new("--output", "-o")
    {
        Description = $"With --input: the vectors file, .jsonl (index, id, vector per line) or .npy (float32, records × dimensions), and its checkpoint OUTPUT{BulkEmbeddingJob.CheckpointPath(string.Empty)}",
    };

    private readonly Option<TextRecordFormat?> _format = new("--format") { Description = "With --input: lines, jsonl or csv (default: from the extension, .txt, .jsonl or .csv)" };

    private readonly Option<string> _field = new("--field") { Description = "JSONL input: the string field that holds the text", DefaultValueFactory = _ => "text" };

    private readonly Option<string> _column = new("--column") { Description = "CSV input: the column (named in the header row) that holds the text", DefaultValueFactory = _ => "text" };

    private readonly Option<string?> _idField = new("--id-field") { Description = "JSONL or CSV input with .jsonl output: a field or column copied into each output line as \"id\"" };

    private readonly Option<int> _window = new Option<int>("--window")
    {
        Description = "With --input: records read, embedded and written at a time (bounds memory; a checkpoint after each)",
        DefaultValueFactory = _ => BulkEmbeddingOptions.DefaultWindow,
    }.AtLeast(1, "1024");

    private readonly Option<double> _checkpointSeconds = new Option<double>("--checkpoint-seconds")
    {
        Description = "With --input: least seconds between checkpoints (each an fsync of the output); a resumed run redoes at most this much work. 0: after every window",
        DefaultValueFactory = _ => BulkEmbeddingOptions.DefaultCheckpointInterval.TotalSeconds,
    }.AtLeast(0, "1");

    private readonly Option<bool> _resume = new("--resume") { Description = "With --input: continue an interrupted run from its checkpoint (model, options and input must match)" };

    private readonly Option<bool> _force = new("--force") { Description = "With --input: replace an existing output file" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _input, _output, _format, _field, _column, _idField, _window, _checkpointSeconds, _resume, _force })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Whether the command line asks for a file to be embedded rather than texts.</summary>
    public bool Requested(ParseResult result) => result.GetValue(_input) is not null || result.GetValue(_output) is not null;

    public async Task<int> RunAsync(ParseResult result, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var input = result.GetValue(_input)?.FullName ?? throw new QuiverException("--output is for embedding a file: give it with --input FILE.");
        var output = result.GetValue(_output)?.FullName
            ?? throw new QuiverException("--input needs --output FILE, a .jsonl or .npy file for the vectors (a bulk run writes a file so that it can resume).");
        Refuse(texts.Count > 0, "Give texts to embed, or --input FILE, not both.");
        Refuse(result.GetValue(image), "--image does not apply to --input. Index a folder of images with quiver index FOLDER --model mobilenet-v2.");
        Refuse(result.GetValue(_resume) && result.GetValue(_force), "Give --resume (continue the interrupted run) or --force (start over), not both.");
        Refuse(result.GetValue(_window) < 1, $"--window must be at least 1 record (default {BulkEmbeddingOptions.DefaultWindow}).");
        Refuse(!(result.GetValue(_checkpointSeconds) >= 0), "--checkpoint-seconds must be 0 (after every window) or more.");

        var format = result.GetValue(_format) ?? TextRecordReader.FormatOf(input);
        var formatName = format.ToString().ToLowerInvariant();
        Refuse(format != TextRecordFormat.Csv && result.GetResult(_column) is { Implicit: false }, $"--column is for CSV input; this input is read as {formatName}{(format == TextRecordFormat.Jsonl ? ": name its text field with --field" : string.Empty)}.");
        Refuse(format != TextRecordFormat.Jsonl && result.GetResult(_field) is { Implicit: false }, $"--field is for JSONL input; this input is read as {formatName}{(format == TextRecordFormat.Csv ? ": name its text column with --column" : string.Empty)}.");

        var name = result.GetValue(model)!;
        var takesPrompts = ModelKinds.Of(InstalledModels.Manifest(context.Paths, name)).TakesPrompts;
        CheckPrompts(result, name, takesPrompts);
        using var generator = new TextEmbeddingGenerator(InstalledModels.OpenTextEncoder(
            context.Paths, name, result.GetValue(pooling), new TransformerEncoderOptions { Prompt = result.GetValue(promptText) }, TextRole.Document, result.GetValue(prompt)));
        var space = generator.Space;
        var generation = new EmbeddingGenerationOptions { Dimensions = result.GetValue(dimensions) };
        var settings = new Dictionary<string, string>();
        if (takesPrompts)
        {
            generation.AdditionalProperties = new() { [TextEmbeddingGenerator.TruncationOption] = result.GetValue(truncation).ToString() };

            // The model's own prompts leave its space as it is, so the checkpoint records the prompt itself.
            settings["prompt"] = generator.Encoder.Prompt ?? string.Empty;
        }

        var job = new BulkEmbeddingJob(generator, new BulkEmbeddingOptions
        {
            Input = input,
            Output = output,
            InputFormat = format,
            Records = new TextRecordOptions { Field = result.GetValue(format == TextRecordFormat.Csv ? _column : _field)!, IdField = result.GetValue(_idField) },
            Window = result.GetValue(_window),
            CheckpointInterval = TimeSpan.FromSeconds(result.GetValue(_checkpointSeconds)),
            ExistingOutput = result.GetValue(_resume) ? ExistingOutput.Resume : result.GetValue(_force) ? ExistingOutput.Overwrite : ExistingOutput.Refuse,
            Generation = generation,
            Settings = settings,
        });

        long done = 0;
        BulkEmbeddingSummary summary;
        try
        {
            summary = await context.ErrorConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async progressContext =>
                {
                    var task = progressContext.AddTask("embedding", maxValue: 1);
                    var clock = Stopwatch.StartNew();
                    return await job.RunAsync(
                        new SynchronousProgress<BulkEmbeddingProgress>(p =>
                        {
                            done = p.Records;
                            task.MaxValue = Math.Max(p.InputBytes, 1);
                            task.Value = p.InputBytesRead;
                            task.Description = Markup.Escape($"{p.Records:N0} records · {p.Embedded / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):N0} records/s");
                        }),
                        cancellationToken);
                });
        }
        catch (OperationCanceledException)
        {
            context.Note($"stopped with {done:N0} records written to {output}; continue with the same command and --resume");
            throw;
        }

        if (result.GetValue(CliOptions.Json))
        {
            context.WriteJson(new
            {
                Input = input,
                Output = output,
                Checkpoint = BulkEmbeddingJob.CheckpointPath(output),
                Model = space.ModelId,
                space.Revision,
                Prompt = settings.GetValueOrDefault("prompt"),
                summary.Dimensions,
                summary.Records,
                summary.ResumedRecords,
                summary.Embedded,
                Seconds = summary.Elapsed.TotalSeconds,
                summary.RecordsPerSecond,
                PeakWorkingSetBytes = Process.GetCurrentProcess().PeakWorkingSet64,
            });
        }
        else
        {
            context.Console.MarkupLine(
                $"[green]embedded[/] {summary.Embedded:N0} records{(summary.ResumedRecords > 0 ? $" after {summary.ResumedRecords:N0} from the interrupted run" : string.Empty)} " +
                $"with {Markup.Escape(space.ModelId)} ({summary.Dimensions}-d) into [bold]{Markup.Escape(output)}[/] in {summary.Elapsed.TotalSeconds:F1} s: {summary.RecordsPerSecond:N0} records/s");
        }

        return 0;
    }

    // Documents get the model's document prompt (TextRole.Document) unless --prompt names another of its prompts or
    // --prompt-text gives text of the user's own (a file of queries, for instance).
    private void CheckPrompts(ParseResult result, string name, bool takesPrompts)
    {
        var (named, text) = (result.GetValue(prompt), result.GetValue(promptText));
        Refuse(named is not null && text is not null, "Pass either --prompt (a prompt the model names) or --prompt-text (your own text), not both.");
        Refuse((named is not null || text is not null) && !takesPrompts, $"The model '{name}' is not a transformer and has no prompts; --prompt and --prompt-text apply to transformer models.");
    }

    private static void Refuse(bool condition, string message)
    {
        if (condition)
        {
            throw new QuiverException(message);
        }
    }
}
