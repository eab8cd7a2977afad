using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;
using Quiver.Ingestion.Bulk;
using Quiver.Ingestion.Records;

namespace Quiver.Ingestion.Tests;

public sealed class BulkEmbeddingJobTests : IDisposable
{
    private static readonly string[] Words = ["whale", "sea", "ship", "frog", "pond", "cat", "mat", "bread", "soup", "moon", "stars", "rocket"];

    private readonly string _folder = Directory.CreateTempSubdirectory("quiver-bulk-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Records_come_out_in_input_order_and_no_generator_call_gets_more_than_a_window()
    {
        var lines = Sentences(2500);
        var input = Write("in.txt", lines);
        var generator = new WatchingGenerator();

        var summary = await new BulkEmbeddingJob(generator, new BulkEmbeddingOptions { Input = input, Output = Path.Combine(_folder, "out.npy"), Window = 300 }).RunAsync();

        // Memory is bounded by the window: the job holds one window of texts and vectors at a time, and the input is
        // read window by window (each call's texts are the next ones in the file, none read ahead and kept).
        Assert.Equal(300, generator.Calls.Max(c => c.Count));
        Assert.Equal(9, generator.Calls.Count);
        Assert.Equal(lines, generator.Calls.SelectMany(c => c));
        Assert.Equal(2500, summary.Records);
        Assert.Equal(0, summary.ResumedRecords);
        Assert.Equal(16, summary.Dimensions);
        var rows = ReadNpy(Path.Combine(_folder, "out.npy"));
        Assert.Equal(lines.Select(BagOfWordsGenerator.Embed), rows);
    }

    [Fact]
    public async Task Jsonl_output_holds_index_id_and_vector_per_record()
    {
        var input = Write("in.jsonl", ["{\"id\": \"a\", \"text\": \"whale sea\"}", string.Empty, "{\"text\": \"frog pond\", \"id\": 2}"]);
        var output = Path.Combine(_folder, "out.jsonl");

        await new BulkEmbeddingJob(new BagOfWordsGenerator(), new BulkEmbeddingOptions { Input = input, Output = output, Records = new TextRecordOptions { IdField = "id" } }).RunAsync();

        var records = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal([0, 1], records.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal("a", records[0].GetProperty("id").GetString());
        Assert.Equal(2, records[1].GetProperty("id").GetInt32());
        Assert.Equal(BagOfWordsGenerator.Embed("frog pond"), records[1].GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()));
        var checkpoint = JsonDocument.Parse(File.ReadAllText(BulkEmbeddingJob.CheckpointPath(output))).RootElement;
        Assert.True(checkpoint.GetProperty("complete").GetBoolean());
        Assert.Equal("bag/mean", checkpoint.GetProperty("model").GetString());
        Assert.Equal(new FileInfo(input).Length, checkpoint.GetProperty("consumed_bytes").GetInt64());
        Assert.Equal(new FileInfo(output).Length, checkpoint.GetProperty("output_bytes").GetInt64());
    }

    [Theory]
    [InlineData("out.npy", false)]
    [InlineData("out.jsonl", false)]
    [InlineData("out.npy", true)]
    [InlineData("out.jsonl", true)]
    public async Task A_run_stopped_part_way_and_resumed_writes_the_same_bytes_as_one_that_never_stopped(string name, bool crash)
    {
        var lines = Sentences(1000);
        var input = Write("in.txt", lines);
        var whole = Path.Combine(_folder, "whole-" + name);
        await new BulkEmbeddingJob(new BagOfWordsGenerator(), new BulkEmbeddingOptions { Input = input, Output = whole, Window = 64 }).RunAsync();

        // Stopped in the middle of the fifth window: cancelled (the job checkpoints the four windows it finished), or
        // crashed (no code of the job runs after it; checkpoints after every window); then half a record of garbage
        // after the last checkpoint, as a kill in the middle of a write leaves.
        var output = Path.Combine(_folder, name);
        using var stop = new CancellationTokenSource();
        var stopping = new WatchingGenerator { StopOnCall = 5, Stop = crash ? null : stop };
        var options = new BulkEmbeddingOptions { Input = input, Output = output, Window = 64, CheckpointInterval = crash ? TimeSpan.Zero : BulkEmbeddingOptions.DefaultCheckpointInterval };
        if (crash)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => new BulkEmbeddingJob(stopping, options).RunAsync());
        }
        else
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new BulkEmbeddingJob(stopping, options).RunAsync(cancellationToken: stop.Token));
        }

        using (var stream = new FileStream(output, FileMode.Append))
        {
            stream.Write("{\"index\":256,\"vec"u8);
        }

        var refused = await Assert.ThrowsAsync<QuiverException>(() =>
            new BulkEmbeddingJob(new BagOfWordsGenerator(), new BulkEmbeddingOptions { Input = input, Output = output, Window = 64 }).RunAsync());
        Assert.Contains("an interrupted run, 256 records so far", refused.Message);

        var resuming = new WatchingGenerator();
        var summary = await new BulkEmbeddingJob(resuming, new BulkEmbeddingOptions { Input = input, Output = output, Window = 64, ExistingOutput = ExistingOutput.Resume }).RunAsync();

        Assert.Equal(256, summary.ResumedRecords);
        Assert.Equal(1000, summary.Records);
        Assert.Equal(lines.Skip(256), resuming.Calls.SelectMany(c => c));
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(output));

        var again = await new BulkEmbeddingJob(resuming, new BulkEmbeddingOptions { Input = input, Output = output, Window = 64, ExistingOutput = ExistingOutput.Resume }).RunAsync();
        Assert.Equal(0, again.Embedded);
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(output));
    }

    [Fact]
    public async Task Resume_refuses_another_model_another_window_and_a_changed_input()
    {
        var input = Write("in.txt", Sentences(300));
        var output = Path.Combine(_folder, "out.npy");
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new BulkEmbeddingJob(new WatchingGenerator { StopOnCall = 3, Stop = stop }, new BulkEmbeddingOptions { Input = input, Output = output, Window = 50 }).RunAsync(cancellationToken: stop.Token));

        Task Resume(IEmbeddingGenerator<string, Embedding<float>> generator, int window = 50) =>
            new BulkEmbeddingJob(generator, new BulkEmbeddingOptions { Input = input, Output = output, Window = window, ExistingOutput = ExistingOutput.Resume }).RunAsync();

        var model = await Assert.ThrowsAsync<QuiverException>(() => Resume(new WatchingGenerator { Space = BagOfWordsGenerator.Space with { Model = BagOfWordsGenerator.Space.Model with { Revision = "r2" } } }));
        Assert.Contains("it holds vectors of bag/mean@r1 (16-d), this run makes bag/mean@r2 (16-d)", model.Message);
        Assert.Contains("--force", model.Message);

        var window = await Assert.ThrowsAsync<QuiverException>(() => Resume(new BagOfWordsGenerator(), window: 40));
        Assert.Contains("windows of 50 records, this run 40", window.Message);

        // Same size, the first letter changed: inside the part already embedded.
        var text = File.ReadAllText(input);
        File.WriteAllText(input, "X" + text[1..]);
        var changed = await Assert.ThrowsAsync<QuiverException>(() => Resume(new BagOfWordsGenerator()));
        Assert.Contains("the input changed", changed.Message);

        File.AppendAllText(input, "one more line\n");
        var grown = await Assert.ThrowsAsync<QuiverException>(() => Resume(new BagOfWordsGenerator()));
        Assert.Contains($"was {text.Length:N0} bytes", grown.Message);
    }

    [Fact]
    public async Task Force_starts_over_and_without_it_an_existing_output_is_refused()
    {
        var input = Write("in.txt", Sentences(10));
        var output = Write("out.npy", ["not ours"]);

        var refused = await Assert.ThrowsAsync<QuiverException>(() => new BulkEmbeddingJob(new BagOfWordsGenerator(), new BulkEmbeddingOptions { Input = input, Output = output }).RunAsync());
        Assert.Contains("already exists (with no checkpoint). Continue an interrupted run with --resume, or replace it with --force.", refused.Message);
        var nothing = await Assert.ThrowsAsync<QuiverException>(() =>
            new BulkEmbeddingJob(new BagOfWordsGenerator(), new BulkEmbeddingOptions { Input = input, Output = output, ExistingOutput = ExistingOutput.Resume }).RunAsync());
        Assert.Contains("there is no record of what it holds", nothing.Message);

        var summary = await new BulkEmbeddingJob(new BagOfWordsGenerator(), new BulkEmbeddingOptions { Input = input, Output = output, ExistingOutput = ExistingOutput.Overwrite }).RunAsync();
        Assert.Equal(10, summary.Records);
        Assert.Equal(10, ReadNpy(output).Count);
    }

    [Fact]
    public async Task A_record_the_model_cannot_embed_is_named_by_its_line()
    {
        var lines = Sentences(20);
        lines[13] = "zzz";
        var input = Write("in.txt", lines);

        var error = await Assert.ThrowsAsync<QuiverException>(() =>
            new BulkEmbeddingJob(new BagOfWordsGenerator(), new BulkEmbeddingOptions { Input = input, Output = Path.Combine(_folder, "out.npy"), Window = 8 }).RunAsync());

        Assert.StartsWith("Line 14 (record 13) could not be embedded: no known words in 'zzz'", error.Message);
    }

    [Fact]
    public async Task Ids_need_jsonl_output_and_the_output_must_not_be_the_input()
    {
        var input = Write("in.jsonl", ["{\"text\": \"whale\", \"id\": 1}"]);

        var ids = await Assert.ThrowsAsync<QuiverException>(() => new BulkEmbeddingJob(new BagOfWordsGenerator(), new BulkEmbeddingOptions
        {
            Input = input,
            Output = Path.Combine(_folder, "out.npy"),
            Records = new TextRecordOptions { IdField = "id" },
        }).RunAsync());
        Assert.Contains("Write .jsonl output to carry ids", ids.Message);

        var same = await Assert.ThrowsAsync<QuiverException>(() =>
            new BulkEmbeddingJob(new BagOfWordsGenerator(), new BulkEmbeddingOptions { Input = input, Output = input, ExistingOutput = ExistingOutput.Overwrite }).RunAsync());
        Assert.Contains("is the input file", same.Message);
        Assert.Equal("{\"text\": \"whale\", \"id\": 1}\n", File.ReadAllText(input));
    }

    private static string[] Sentences(int count)
    {
        var random = new Random(11);
        return [.. Enumerable.Range(0, count).Select(i => string.Join(' ', Enumerable.Range(0, 1 + random.Next(6)).Select(_ => Words[random.Next(Words.Length)])) + $" n{i}")];
    }

    private static List<float[]> ReadNpy(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var dimensions = BagOfWordsGenerator.Space.Dimensions;
        var rows = new List<float[]>();
        for (var offset = 128; offset < bytes.Length; offset += dimensions * 4)
        {
            rows.Add([.. Enumerable.Range(0, dimensions).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset + (i * 4))))]);
        }

        return rows;
    }

    private string Write(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    // The bag-of-words encoder, watched: what each call got, and optionally a stop part way through a call (a
    // cancellation through Stop, or without it a crash).
    private sealed class WatchingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly BagOfWordsGenerator _inner = new();

        public List<List<string>> Calls { get; } = [];

        public EmbeddingSpace Space { get; init; } = BagOfWordsGenerator.Space;

        public int StopOnCall { get; init; }

        public CancellationTokenSource? Stop { get; init; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls.Add([.. values]);
            if (Calls.Count == StopOnCall)
            {
                if (Stop is null)
                {
                    throw new InvalidOperationException("crashed");
                }

                Stop.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return _inner.GenerateAsync(values, options, cancellationToken);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingSpace) ? Space : null;

        public void Dispose() => _inner.Dispose();
    }
}
