using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Schema;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Store.Collections;
using Quiver.Store.Export;
using Quiver.Store.Filtering;

namespace Quiver.Store.Tests;

public sealed class ExportTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly Collection _collection;
    private readonly List<Point> _points;

    public ExportTests()
    {
        _collection = new CollectionStore(Path.Combine(_folder.Path, "store")).Create("docs", new CollectionOptions(new EmbeddingSpace(new ModelReference("test-model", null, "r1"), 3, DistanceMetric.Dot, Normalized: false)));
        var random = new Random(7);
        _points = Enumerable.Range(0, 10).Select(i => new Point(
            i.ToString(),
            [(float)random.NextDouble(), -(float)random.NextDouble() * 1e-7f, 1e6f * i],
            i % 3 == 0 ? null : JsonNode.Parse($$"""{"lang": "{{(i % 2 == 0 ? "en" : "fr")}}", "n": {{i}}, "tags": ["a", "é\""]}""")!.AsObject(),
            i % 4 == 0 ? null : $"text {i}\nwith \"quotes\" and ünïcode")).ToList();
        _collection.Upsert(_points);
    }

    public void Dispose()
    {
        _collection.Dispose();
        _folder.Dispose();
    }

    private string Out(string name) => Path.Combine(_folder.Path, name);

    // Read the way NumPy does: magic, version 1.0, a little-endian header length, then a Python dict literal.
    private static int HeaderLength(byte[] npy)
    {
        Assert.Equal([0x93, .. "NUMPY"u8.ToArray()], npy[..6]);
        return 10 + BinaryPrimitives.ReadUInt16LittleEndian(npy.AsSpan(8));
    }

    private static (long Rows, int Columns) NpyShape(byte[] npy)
    {
        var header = System.Text.Encoding.ASCII.GetString(npy, 10, HeaderLength(npy) - 10);
        Assert.Contains("'descr': '<f4'", header);
        Assert.Contains("'fortran_order': False", header);
        var shape = System.Text.RegularExpressions.Regex.Match(header, @"'shape': \((\d+), (\d+)\)");
        Assert.True(shape.Success, header);
        return (long.Parse(shape.Groups[1].Value), int.Parse(shape.Groups[2].Value));
    }

    [Fact]
    public async Task Jsonl_holds_every_point_with_its_exact_vector_payload_and_text_in_id_order()
    {
        var result = await CollectionExport.Write(_collection, Out("docs.jsonl"), ExportFormat.Jsonl);

        Assert.Equal(10, result.Points);
        var lines = File.ReadAllLines(Out("docs.jsonl"));
        Assert.Equal(10, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = JsonNode.Parse(lines[i])!.AsObject();
            var expected = _points[i];
            Assert.Equal(expected.Id, (string)line["id"]!);
            Assert.Equal(expected.Vector, line["vector"]!.AsArray().Select(v => (float)v!).ToArray());
            Assert.Equal(expected.Payload?.ToJsonString(), line["payload"]?.ToJsonString());
            Assert.Equal(expected.Text, (string?)line["text"]);
        }

        Assert.Equal(new FileInfo(Out("docs.jsonl")).Length, result.Bytes);
    }

    [Fact]
    public async Task Npy_is_a_float32_matrix_whose_rows_match_the_points_file()
    {
        var result = await CollectionExport.Write(_collection, Out("docs.npy"), ExportFormat.Npy, new ExportOptions { BatchSize = 3 });

        Assert.Equal([Out("docs.npy"), Out("docs.points.jsonl")], result.Files);
        var bytes = File.ReadAllBytes(Out("docs.npy"));
        Assert.Equal((10L, 3), NpyShape(bytes));
        Assert.Equal(HeaderLength(bytes) + (10 * 3 * 4), bytes.Length);
        var rows = File.ReadAllLines(Out("docs.points.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(10, rows.Count);
        for (var r = 0; r < 10; r++)
        {
            Assert.Equal(r, (int)rows[r]["row"]!);
            var point = _points.Single(p => p.Id == (string)rows[r]["id"]!);
            Assert.Null(rows[r]["vector"]);
            Assert.Equal(point.Text, (string?)rows[r]["text"]);
            var vector = Enumerable.Range(0, 3).Select(c => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(HeaderLength(bytes) + (((r * 3) + c) * 4)))).ToArray();
            Assert.Equal(point.Vector, vector);
        }
    }

    [Fact]
    public async Task Parquet_has_one_row_group_per_batch_and_reads_back_exactly()
    {
        var result = await CollectionExport.Write(_collection, Out("docs.parquet"), ExportFormat.Parquet, new ExportOptions { BatchSize = 4 });

        Assert.Equal(10, result.Points);
        await using var stream = File.OpenRead(Out("docs.parquet"));
        await using var reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal(3, reader.RowGroupCount);
        Assert.Equal("docs", reader.CustomMetadata["quiver.collection"]);
        Assert.Equal("3", reader.CustomMetadata["quiver.dimensions"]);
        Assert.Equal("Dot", reader.CustomMetadata["quiver.metric"]);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(["id", "element", "payload", "text"], fields.Select(f => f.Name));

        var read = new List<Point>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            var ids = new string?[count];
            await group.ReadAsync(fields[0], ids.AsMemory(), null);
            var values = new float[count * 3];
            var repetitions = new int[count * 3];
            var definitions = new int[count * 3];
            await group.ReadRawAsync(fields[1], values.AsMemory(), definitions.AsMemory(), repetitions.AsMemory());
            Assert.All(definitions, d => Assert.Equal(2, d));
            var payloads = new string?[count];
            await group.ReadAsync(fields[2], payloads.AsMemory(), null);
            var texts = new string?[count];
            await group.ReadAsync(fields[3], texts.AsMemory(), null);
            for (var i = 0; i < count; i++)
            {
                Assert.Equal(0, repetitions[i * 3]);
                Assert.Equal([1, 1], repetitions[((i * 3) + 1)..((i * 3) + 3)]);
                read.Add(new Point(ids[i]!, values[(i * 3)..((i * 3) + 3)], payloads[i] is null ? null : JsonNode.Parse(payloads[i]!)!.AsObject(), texts[i]));
            }
        }

        Assert.Equal(_points.Select(p => p.Id), read.Select(p => p.Id));
        Assert.Equal(_points.Select(p => p.Vector), read.Select(p => p.Vector));
        Assert.Equal(_points.Select(p => p.Payload?.ToJsonString()), read.Select(p => p.Payload?.ToJsonString()));
        Assert.Equal(_points.Select(p => p.Text), read.Select(p => p.Text));
    }

    [Theory]
    [InlineData(ExportFormat.Jsonl, "f.jsonl")]
    [InlineData(ExportFormat.Npy, "f.npy")]
    [InlineData(ExportFormat.Parquet, "f.parquet")]
    public async Task A_filter_exports_only_the_matching_points(ExportFormat format, string name)
    {
        var filter = PayloadFilter.Equal("lang", JsonValue.Create("fr"));

        var result = await CollectionExport.Write(_collection, Out(name), format, new ExportOptions { Filter = filter });

        Assert.Equal(_points.Count(p => (string?)p.Payload?["lang"] == "fr"), result.Points);
        Assert.Equal(3, result.Points);
    }

    [Fact]
    public async Task An_existing_file_is_kept_unless_overwrite_is_asked()
    {
        File.WriteAllText(Out("docs.points.jsonl"), "mine");

        var error = await Assert.ThrowsAsync<QuiverException>(() => CollectionExport.Write(_collection, Out("docs.npy"), ExportFormat.Npy));

        Assert.Contains("docs.points.jsonl' already exists", error.Message);
        Assert.Contains("--force", error.Message);
        Assert.Equal("mine", File.ReadAllText(Out("docs.points.jsonl")));
        Assert.False(File.Exists(Out("docs.npy")));

        await CollectionExport.Write(_collection, Out("docs.npy"), ExportFormat.Npy, new ExportOptions { Overwrite = true });
        Assert.Equal(10, File.ReadAllLines(Out("docs.points.jsonl")).Length);
    }

    [Theory]
    [InlineData(ExportFormat.Jsonl, "c.jsonl")]
    [InlineData(ExportFormat.Npy, "c.npy")]
    [InlineData(ExportFormat.Parquet, "c.parquet")]
    public async Task A_cancelled_export_leaves_no_file_behind(ExportFormat format, string name)
    {
        File.WriteAllText(Out(name), "previous");
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress<ExportProgress>(p =>
        {
            if (p.Points >= 2)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CollectionExport.Write(_collection, Out(name), format, new ExportOptions { BatchSize = 2, Overwrite = true }, progress, cancel.Token));

        Assert.Equal("previous", File.ReadAllText(Out(name)));
        Assert.Equal([name], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task An_empty_selection_still_writes_valid_files()
    {
        var none = PayloadFilter.Equal("lang", JsonValue.Create("xx"));

        await CollectionExport.Write(_collection, Out("e.npy"), ExportFormat.Npy, new ExportOptions { Filter = none });
        await CollectionExport.Write(_collection, Out("e.parquet"), ExportFormat.Parquet, new ExportOptions { Filter = none });

        Assert.Equal((0L, 3), NpyShape(File.ReadAllBytes(Out("e.npy"))));
        await using var stream = File.OpenRead(Out("e.parquet"));
        await using var reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal(0, reader.RowGroupCount);
        Assert.Equal(4, reader.Schema.GetDataFields().Length);
    }

    [Fact]
    public void The_format_comes_from_the_extension_or_the_error_says_how_to_give_it()
    {
        Assert.Equal(ExportFormat.Parquet, CollectionExport.FormatOf("a/b.PARQUET"));
        Assert.Equal(ExportFormat.Jsonl, CollectionExport.FormatOf("b.ndjson"));
        var error = Assert.Throws<QuiverException>(() => CollectionExport.FormatOf("b.csv"));
        Assert.Contains(".jsonl, .npy or .parquet", error.Message);
        Assert.Contains("--format", error.Message);
    }
}
