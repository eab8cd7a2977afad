namespace Quiver.Training.GloVe;

/// <summary>
/// The co-occurrence records in a random order, held in memory when they fit in the memory limit, else in a file
/// shuffled in chunks as glove's shuffle does: chunks that fit are shuffled and written out, then a slice of every
/// chunk is read, shuffled together and written again until all are consumed.
/// </summary>
internal sealed class ShuffledRecords
{
    private const int BlockRecords = 1 << 13;

    private readonly CooccurrenceRecord[]? _records;
    private readonly string? _file;

    private ShuffledRecords(CooccurrenceRecord[]? records, string? file, long count)
    {
        _records = records;
        _file = file;
        Count = count;
    }

    public long Count { get; }

    /// <summary>Whether the records are on disk (they did not fit in the memory limit).</summary>
    public bool OnDisk => _file is not null;

    public static ShuffledRecords Create(string sortedFile, long memoryBytes, int seed, string folder, Action<long>? recordsDone, CancellationToken cancellationToken)
    {
        var count = RecordFile.Count(sortedFile);
        var random = new Random(seed);
        // A floor keeps a tiny limit working (slowly) instead of failing; it is far below any real one.
        var capacity = Math.Max(64, memoryBytes / CooccurrenceRecord.Size);
        if (count <= capacity)
        {
            var records = new CooccurrenceRecord[count];
            var at = 0L;
            foreach (var block in RecordFile.ReadBlocks(sortedFile))
            {
                block.CopyTo(records, at);
                at += block.Length;
            }

            random.Shuffle(records);
            recordsDone?.Invoke(count);
            return new ShuffledRecords(records, null, count);
        }

        var chunk = new CooccurrenceRecord[capacity];
        var chunkFiles = new List<string>();
        using (var input = RecordFile.OpenRead(sortedFile))
        {
            int read;
            while ((read = RecordFile.Read(input, chunk)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                random.Shuffle(chunk.AsSpan(0, read));
                var path = Path.Combine(folder, $"shuffle-{chunkFiles.Count:D5}.bin");
                using var output = RecordFile.Create(path);
                RecordFile.Write(output, chunk.AsSpan(0, read));
                chunkFiles.Add(path);
            }
        }

        // Mixing a slice of every chunk lets records from far apart in the sorted order meet, as shuffle's second pass does.
        var shuffled = Path.Combine(folder, "shuffled.bin");
        var inputs = chunkFiles.Select(RecordFile.OpenRead).ToList();
        try
        {
            var slice = (int)Math.Max(1, capacity / chunkFiles.Count);
            long done = 0;
            using var output = RecordFile.Create(shuffled);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var filled = 0;
                foreach (var stream in inputs)
                {
                    filled += RecordFile.Read(stream, chunk.AsSpan(filled, (int)Math.Min(slice, chunk.Length - filled)));
                }

                if (filled == 0)
                {
                    break;
                }

                random.Shuffle(chunk.AsSpan(0, filled));
                RecordFile.Write(output, chunk.AsSpan(0, filled));
                done += filled;
                recordsDone?.Invoke(done);
            }
        }
        finally
        {
            foreach (var stream in inputs)
            {
                stream.Dispose();
            }
        }

        foreach (var path in chunkFiles)
        {
            File.Delete(path);
        }

        return new ShuffledRecords(null, shuffled, count);
    }

    /// <summary>Records <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/>, in blocks.</summary>
    public IEnumerable<ReadOnlyMemory<CooccurrenceRecord>> Read(long start, long count)
    {
        if (_records is not null)
        {
            for (var at = start; at < start + count; at += BlockRecords)
            {
                yield return _records.AsMemory((int)at, (int)Math.Min(BlockRecords, start + count - at));
            }

            yield break;
        }

        foreach (var block in RecordFile.ReadBlocks(_file!, start, count))
        {
            yield return block;
        }
    }
}
