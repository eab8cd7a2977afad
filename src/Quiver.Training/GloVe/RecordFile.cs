using System.Runtime.InteropServices;

namespace Quiver.Training.GloVe;

/// <summary>Reads and writes files of <see cref="CooccurrenceRecord"/> in blocks, without a copy per record.</summary>
internal static class RecordFile
{
    private const int BlockRecords = 1 << 13;

    public static long Count(string path) => new FileInfo(path).Length / CooccurrenceRecord.Size;

    /// <summary>Streams the records of a file from record <paramref name="start"/>, at most <paramref name="count"/> of them.</summary>
    public static IEnumerable<CooccurrenceRecord[]> ReadBlocks(string path, long start = 0, long count = long.MaxValue)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        stream.Position = start * CooccurrenceRecord.Size;
        var left = Math.Min(count, Count(path) - start);
        while (left > 0)
        {
            var block = new CooccurrenceRecord[(int)Math.Min(BlockRecords, left)];
            stream.ReadExactly(MemoryMarshal.AsBytes(block.AsSpan()));
            left -= block.Length;
            yield return block;
        }
    }

    /// <summary>Reads up to <c>buffer.Length</c> records into the buffer; returns how many it read (0 at the end).</summary>
    public static int Read(Stream stream, Span<CooccurrenceRecord> buffer)
    {
        var bytes = MemoryMarshal.AsBytes(buffer);
        var read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read % CooccurrenceRecord.Size != 0)
        {
            throw new InvalidDataException($"A co-occurrence file ends inside a record ({read} bytes read); it was cut short.");
        }

        return read / CooccurrenceRecord.Size;
    }

    public static void Write(Stream stream, ReadOnlySpan<CooccurrenceRecord> records) => stream.Write(MemoryMarshal.AsBytes(records));

    public static FileStream Create(string path) => new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);

    public static FileStream OpenRead(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
}
