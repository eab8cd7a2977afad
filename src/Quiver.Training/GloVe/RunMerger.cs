namespace Quiver.Training.GloVe;

/// <summary>
/// A k-way merge of sorted run files into one sorted file where each (word, context) appears once, its weights
/// summed. Only one block per run is in memory, so the merge is bounded however many records there are.
/// </summary>
internal static class RunMerger
{
    private const int MaxBlockRecords = 1 << 12;
    private const int MinBlockRecords = 1 << 6;

    /// <summary>Merges <paramref name="runs"/> into <paramref name="output"/>; returns the number of records written.</summary>
    /// <param name="memoryBytes">Memory for the read blocks of all runs together (each gets at least 1 KiB).</param>
    public static long Merge(IReadOnlyList<string> runs, string output, long memoryBytes, Action<long>? recordsWritten, CancellationToken cancellationToken)
    {
        var blockRecords = (int)Math.Clamp(memoryBytes / Math.Max(1, runs.Count + 1) / CooccurrenceRecord.Size, MinBlockRecords, MaxBlockRecords);
        var streams = new List<FileStream>(runs.Count);
        try
        {
            var blocks = new CooccurrenceRecord[runs.Count][];
            var lengths = new int[runs.Count];
            var positions = new int[runs.Count];

            // Ties go to the earlier run, so the sums are added in the same order on every run of the same input.
            var queue = new PriorityQueue<int, (long Key, int Run)>(runs.Count);
            for (var r = 0; r < runs.Count; r++)
            {
                // Unbuffered: the block is the buffer, so memory stays one block per run.
                streams.Add(new FileStream(runs[r], FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0));
                blocks[r] = new CooccurrenceRecord[blockRecords];
                lengths[r] = RecordFile.Read(streams[r], blocks[r]);
                if (lengths[r] > 0)
                {
                    queue.Enqueue(r, (blocks[r][0].Key, r));
                }
            }

            using var destination = RecordFile.Create(output);
            var outBlock = new CooccurrenceRecord[blockRecords];
            var outCount = 0;
            long written = 0;
            var hasCurrent = false;
            var current = default(CooccurrenceRecord);
            while (queue.TryDequeue(out var run, out _))
            {
                var record = blocks[run][positions[run]];
                if (hasCurrent && record.Key == current.Key)
                {
                    current = current with { Value = current.Value + record.Value };
                }
                else
                {
                    if (hasCurrent)
                    {
                        outBlock[outCount++] = current;
                        if (outCount == outBlock.Length)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            RecordFile.Write(destination, outBlock);
                            written += outCount;
                            recordsWritten?.Invoke(written);
                            outCount = 0;
                        }
                    }

                    current = record;
                    hasCurrent = true;
                }

                if (++positions[run] == lengths[run])
                {
                    lengths[run] = RecordFile.Read(streams[run], blocks[run]);
                    positions[run] = 0;
                }

                if (lengths[run] > 0)
                {
                    queue.Enqueue(run, (blocks[run][positions[run]].Key, run));
                }
            }

            if (hasCurrent)
            {
                outBlock[outCount++] = current;
            }

            RecordFile.Write(destination, outBlock.AsSpan(0, outCount));
            written += outCount;
            recordsWritten?.Invoke(written);
            return written;
        }
        finally
        {
            foreach (var stream in streams)
            {
                stream.Dispose();
            }
        }
    }
}
