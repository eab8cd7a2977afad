using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Npy;
using Quiver.Core.Spaces;
using Quiver.Ingestion.Records;
using Quiver.Catalogue;
using Quiver.Models.Static;
using Quiver.Store.Collections;
using Spectre.Console;

namespace Quiver.Cli.Analysis;

/// <summary>
/// Where an analysis verb (<c>cluster</c>, <c>project</c>) gets its points: one or more collections (<c>-c NAME</c>), a
/// labelled CSV or JSONL file whose texts are embedded with a model (<c>--input FILE.csv --text-column text
/// --label-column label -m MODEL</c>), or a .npy matrix (<c>--input FILE.npy [--labels FILE]</c>). A verb adds these
/// options to its command and calls <see cref="LoadAsync"/>.
/// </summary>
internal sealed class AnalysisInput
{
    private const int EmbedBatch = 64;

    private readonly CliContext _context;

    public AnalysisInput(CliContext context)
    {
        _context = context;
        Model = CliOptions.TextModel(context);
        Model.Description = $"Model that embeds the texts of --input CSV/JSONL (default: {Quiver.Catalogue.ModelCatalogue.DefaultTextModelRule})";
    }

    public Option<string[]> Collections { get; } = new("--collection", "-c")
    {
        Description = "Collection(s) whose points to use; repeat for several of one embedding space",
    };

    public Option<FileInfo?> Input { get; } = new("--input", "-i")
    {
        Description = "A file of points instead of a collection: .csv or .jsonl texts (embedded with --model) or a .npy float matrix (one vector per row)",
    };

    public Option<string> TextColumn { get; } = new("--text-column")
    {
        Description = "The CSV column (JSONL field) that holds each text",
        DefaultValueFactory = _ => "text",
    };

    public Option<string?> LabelColumn { get; } = new("--label-column")
    {
        Description = "The CSV column (JSONL field), or a collection's payload field, that holds each point's label (default: 'label' when a file has one)",
    };

    public Option<FileInfo?> Labels { get; } = new("--labels")
    {
        Description = "For a .npy matrix: a text file with one label per line, in row order",
    };

    public Option<string> Model { get; }

    public Option<string?> Pooling { get; } = CliOptions.Pooling();

    /// <summary>Adds the input options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Collections);
        command.Options.Add(Input);
        command.Options.Add(TextColumn);
        command.Options.Add(LabelColumn);
        command.Options.Add(Labels);
        command.Options.Add(Model);
        command.Options.Add(Pooling);
    }

    /// <summary>The points the command line names, refused with a message naming the fix when the input is unusable.</summary>
    public async Task<AnalysisData> LoadAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var collections = result.GetValue(Collections) ?? [];
        var input = result.GetValue(Input);
        if (collections.Length > 0 && input is not null)
        {
            throw new QuiverException("Give either collections (-c NAME) or a file (--input FILE), not both.");
        }

        if (collections.Length == 0 && input is null)
        {
            throw new QuiverException("Name the points to analyse: a collection (-c NAME), or a file (--input FILE.csv --text-column text --label-column label, or --input FILE.npy).");
        }

        var explicitLabel = result.GetValue(LabelColumn);
        var npy = input is not null && Path.GetExtension(input.FullName).Equals(".npy", StringComparison.OrdinalIgnoreCase);
        if (!npy && result.GetValue(Labels) is not null)
        {
            throw new QuiverException("--labels FILE is for a .npy matrix; a CSV or JSONL file names its label column, and a collection its payload field, with --label-column.");
        }

        if (npy && explicitLabel is not null)
        {
            throw new QuiverException("A .npy matrix has no columns; give its labels as a text file with one label per line: --labels FILE.");
        }

        var data = input is null
            ? LoadCollections(collections, explicitLabel)
            : npy
                ? LoadNpy(input.FullName, result.GetValue(Labels)?.FullName)
                : await LoadTextsAsync(input.FullName, result.GetValue(TextColumn)!, explicitLabel, result.GetValue(Model)!, result.GetValue(Pooling), cancellationToken);
        if (data.Count == 0)
        {
            throw new QuiverException($"{data.Source} holds no points. Index or upsert some first, or give a file with rows.");
        }

        return data;
    }

    private AnalysisData LoadCollections(IReadOnlyList<string> names, string? labelField)
    {
        var store = CollectionStore.FromPaths(_context.Paths);
        EmbeddingSpace? space = null;
        string? first = null;
        var vectors = new List<float>();
        var ids = new List<string>();
        var texts = new List<string?>();
        var payloads = new List<JsonObject?>();
        var origins = new List<string>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            using var collection = store.Open(name);
            if (space is null)
            {
                (space, first) = (collection.Space, name);
            }
            else if (!space.Accepts(collection.Space) || !collection.Space.Accepts(space))
            {
                throw new QuiverException(
                    $"The collections '{first}' ({space}) and '{name}' ({collection.Space}) hold vectors of different embedding spaces, which cannot be analysed together. Analyse them one at a time.");
            }

            var total = collection.Count();
            _context.Note($"reading {total:N0} points of '{name}'");
            foreach (var point in collection.ReadAll())
            {
                vectors.AddRange(point.Vector);
                ids.Add(point.Id);
                texts.Add(point.Text);
                payloads.Add(point.Payload);
                origins.Add(name);
            }
        }

        var source = names.Count == 1 ? $"collection '{names[0]}'" : $"collections {string.Join(", ", names.Select(n => $"'{n}'"))}";
        List<string?>? labels = null;
        if (labelField is not null)
        {
            labels = payloads.Select(p => p?[labelField] switch
            {
                null => null,
                JsonValue value when value.TryGetValue<string>(out var text) => text,
                var node => node.ToJsonString(),
            }).ToList();
            if (labels.Count > 0 && labels.All(l => l is null))
            {
                var fields = payloads.Where(p => p is not null).SelectMany(p => p!.Select(kv => kv.Key)).Distinct(StringComparer.Ordinal).Take(20).ToList();
                throw new QuiverException(
                    $"No point of {source} has the payload field '{labelField}' (fields its points have: {(fields.Count == 0 ? "none" : string.Join(", ", fields))}). Name a field that holds a label with --label-column.");
            }
        }

        return new AnalysisData
        {
            Source = source,
            Space = space,
            Vectors = [.. vectors],
            Count = ids.Count,
            Dimensions = space?.Dimensions ?? 0,
            Ids = ids,
            Texts = texts,
            Labels = labels,
            LabelName = labelField,
            Payloads = payloads,
            Collections = origins,
        };
    }

    private static AnalysisData LoadNpy(string path, string? labelsPath)
    {
        var (values, rows, columns) = NpyMatrixReader.Read(path);
        List<string?>? labels = null;
        if (labelsPath is not null)
        {
            if (!File.Exists(labelsPath))
            {
                throw new QuiverException($"The labels file '{labelsPath}' does not exist. Give a text file with one label per line, in the order of the matrix's rows.");
            }

            labels = [.. File.ReadLines(labelsPath).Select(l => (string?)l.TrimEnd('\r'))];
            if (labels.Count > 0 && labels[^1] == string.Empty)
            {
                labels.RemoveAt(labels.Count - 1);
            }

            if (labels.Count != rows)
            {
                throw new QuiverException($"'{labelsPath}' has {labels.Count:N0} labels but '{path}' has {rows:N0} rows. Give one label per line for each row, in row order.");
            }
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new QuiverException($"Row {i / columns:N0} of '{path}' holds {values[i]} at column {i % columns}; every value must be a finite number.");
            }
        }

        return new AnalysisData
        {
            Source = $"'{Path.GetFileName(path)}'",
            Vectors = values,
            Count = rows,
            Dimensions = columns,
            Ids = [.. Enumerable.Range(0, rows).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            Texts = new string?[rows],
            Labels = labels,
            LabelName = labels is null ? null : Path.GetFileName(labelsPath),
        };
    }

    /// <summary>
    /// A labelled CSV or JSONL file embedded with <paramref name="model"/> (what <c>classify</c> and <c>eval classify</c>
    /// read); with <paramref name="refuseEmptyTexts"/>, a row with no text is refused before anything is embedded.
    /// </summary>
    public Task<AnalysisData> LoadFileAsync(string path, string textColumn, string? labelColumn, string model, string? pooling, bool refuseEmptyTexts, CancellationToken cancellationToken) =>
        LoadTextsAsync(path, textColumn, labelColumn, model, pooling, cancellationToken, refuseEmptyTexts);

    private async Task<AnalysisData> LoadTextsAsync(string path, string textColumn, string? labelColumn, string model, string? pooling, CancellationToken cancellationToken, bool refuseEmptyTexts = false)
    {
        var format = TextRecordReader.FormatOf(path);
        if (format == TextRecordFormat.Lines)
        {
            throw new QuiverException($"'{path}' is plain text; analysis reads a .csv or .jsonl file (a text column and optionally a label column) or a .npy matrix.");
        }

        var columns = FileColumns.Read(path, format);
        CheckColumn(path, columns, textColumn, "--text-column", "the text");
        if (labelColumn is not null)
        {
            CheckColumn(path, columns, labelColumn, "--label-column", "the label");
        }
        else if (columns.Contains("label"))
        {
            labelColumn = "label";
        }

        var texts = new List<string?>();
        var labels = labelColumn is null ? null : new List<string?>();
        using (var reader = TextRecordReader.Open(path, format, new TextRecordOptions { Field = textColumn, IdField = labelColumn }))
        {
            while (reader.Read() is { } record)
            {
                if (refuseEmptyTexts && string.IsNullOrWhiteSpace(record.Text))
                {
                    throw new QuiverException($"Line {record.Line:N0} of '{path}' has an empty text in '{textColumn}'. Fill it in or remove the row.");
                }

                texts.Add(record.Text);
                labels?.Add(record.Id is { ValueKind: JsonValueKind.String } id ? id.GetString() : record.Id?.GetRawText());
            }
        }

        var name = Path.GetFileName(path);
        if (texts.Count == 0)
        {
            throw new QuiverException($"'{path}' has a header but no rows. Give a file with at least one text.");
        }

        using var generator = InstalledModels.OpenTextGenerator(_context.Paths, model, pooling, role: TextRole.Document);
        var space = generator.GetService<EmbeddingSpace>()!;
        var vectors = new float[(long)texts.Count * space.Dimensions];
        var kept = new List<int>(texts.Count);
        await _context.ErrorConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape($"embedding {texts.Count:N0} texts of {name} with {model}"), maxValue: texts.Count);
                for (var start = 0; start < texts.Count; start += EmbedBatch)
                {
                    var batch = Enumerable.Range(start, Math.Min(EmbedBatch, texts.Count - start)).ToList();
                    foreach (var (i, vector) in await EmbedAsync(generator, batch, texts, cancellationToken))
                    {
                        vector.Span.CopyTo(vectors.AsSpan(kept.Count * space.Dimensions));
                        kept.Add(i);
                    }

                    task.Increment(batch.Count);
                }
            });

        var skipped = texts.Count - kept.Count;
        if (skipped > 0)
        {
            _context.Note($"skipped {skipped:N0} of {texts.Count:N0} texts in which {model} knows no word");
        }

        return new AnalysisData
        {
            Source = $"'{name}' embedded with {model}",
            Space = space,
            Vectors = kept.Count == texts.Count ? vectors : vectors[..(kept.Count * space.Dimensions)],
            Count = kept.Count,
            Dimensions = space.Dimensions,
            Ids = [.. kept.Select(i => (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))],
            Texts = [.. kept.Select(i => texts[i])],
            Labels = labels is null ? null : [.. kept.Select(i => labels[i])],
            LabelName = labelColumn,
            Skipped = skipped,
        };
    }

    // A word-vector model refuses a whole call when one text has no known word; such texts are then embedded one at a
    // time and the unknown ones left out (counted in the summary) rather than failing the analysis.
    private static async Task<List<(int Index, ReadOnlyMemory<float> Vector)>> EmbedAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, List<int> batch, List<string?> texts, CancellationToken cancellationToken)
    {
        try
        {
            var embeddings = await generator.GenerateAsync(batch.Select(i => texts[i] ?? string.Empty), cancellationToken: cancellationToken);
            return [.. batch.Select((i, j) => (i, embeddings[j].Vector))];
        }
        catch (NoKnownWordsException) when (batch.Count > 1)
        {
            var kept = new List<(int, ReadOnlyMemory<float>)>();
            foreach (var i in batch)
            {
                kept.AddRange(await EmbedAsync(generator, [i], texts, cancellationToken));
            }

            return kept;
        }
        catch (NoKnownWordsException)
        {
            return [];
        }
    }

    private static void CheckColumn(string path, IReadOnlyList<string> columns, string column, string option, string what)
    {
        if (!columns.Contains(column))
        {
            throw new QuiverException(
                $"'{path}' has no column '{column}' (its columns: {string.Join(", ", columns.Take(20))}). Name the column that holds {what} with {option} NAME.");
        }
    }
}
