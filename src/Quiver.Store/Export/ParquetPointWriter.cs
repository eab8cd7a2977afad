using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Quiver.Store.Collections;

namespace Quiver.Store.Export;

/// <summary>
/// Writes an Apache Parquet file, one row group per batch: <c>id</c> (string), <c>vector</c> (list of float32),
/// <c>payload</c> (the payload as a JSON string, null when absent) and <c>text</c> (null when absent). The file's
/// key-value metadata names the collection, its embedding space, dimensions and distance.
/// </summary>
internal sealed class ParquetPointWriter : IPointWriter
{
    private static readonly DataField IdField = new DataField<string>("id", nullable: false);
    private static readonly ListField VectorField = new("vector", new DataField<float>("element", nullable: false));
    private static readonly DataField PayloadField = new DataField<string>("payload", nullable: true);
    private static readonly DataField TextField = new DataField<string>("text", nullable: true);
    private static readonly ParquetSchema Schema = new(IdField, VectorField, PayloadField, TextField);

    private readonly string _path;
    private readonly StagedFile _file;
    private readonly Dictionary<string, string> _metadata;
    private ParquetWriter? _writer;

    public ParquetPointWriter(string path, IReadOnlyDictionary<string, string> metadata)
    {
        _path = path;
        _file = new StagedFile(path);
        _metadata = new Dictionary<string, string>(metadata);
    }

    public IReadOnlyList<string> Files => [_path];

    public async Task Write(IReadOnlyList<Point> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        _writer ??= await CreateWriter(cancellationToken);
        var dimensions = batch[0].Vector.Length;
        var values = new float[batch.Count * dimensions];
        var repetitions = new int[values.Length];
        // Every element is present, so each sits at the column's deepest definition level.
        var definitions = new int[values.Length];
        definitions.AsSpan().Fill(VectorField.Item.MaxDefinitionLevel);
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Vector.CopyTo(values, i * dimensions);
            // Repetition level 0 starts a new row's list; 1 continues it.
            repetitions.AsSpan((i * dimensions) + 1, dimensions - 1).Fill(1);
        }

        using var group = _writer.CreateRowGroup();
        await group.WriteAsync(IdField, batch.Select(p => p.Id).ToArray(), null);
        await group.WriteAllPartsAsync((DataField)VectorField.Item, new ReadOnlyMemory<float>(values), new ReadOnlyMemory<int>(definitions), new ReadOnlyMemory<int>(repetitions), cancellationToken);
        await group.WriteAsync(PayloadField, batch.Select(p => p.Payload?.ToJsonString(JsonSerializerOptions.Default)).ToArray(), null);
        await group.WriteAsync(TextField, batch.Select(p => p.Text).ToArray(), null);
    }

    public async Task Complete(CancellationToken cancellationToken)
    {
        // A collection with no points still gets a valid file: the schema and metadata, no row groups.
        _writer ??= await CreateWriter(cancellationToken);
        await _writer.DisposeAsync();
        _writer = null;
        _file.Commit();
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        _file.Dispose();
    }

    private async Task<ParquetWriter> CreateWriter(CancellationToken cancellationToken)
    {
        var writer = await ParquetWriter.CreateAsync(Schema, _file.Stream, cancellationToken: cancellationToken);
        writer.CustomMetadata = _metadata;
        return writer;
    }
}
