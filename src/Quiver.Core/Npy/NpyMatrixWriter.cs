using System.Buffers.Binary;

namespace Quiver.Core.Npy;

/// <summary>
/// Writes a float32 matrix row by row as a NumPy .npy file (format 1.0: little-endian <c>&lt;f4</c>, C order, shape
/// (rows, columns)) when the number of rows is not known in advance. The header has a fixed size with the shape
/// padded by spaces, and <see cref="Flush"/> rewrites it in place with the rows written so far: after every flush
/// the file is a valid .npy that <c>numpy.load</c> reads, and a run cut short can be continued with
/// <see cref="Append"/> from the last flushed row count.
/// </summary>
public sealed class NpyMatrixWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly byte[] _row;

    private NpyMatrixWriter(FileStream stream, int columns, long rows)
    {
        _stream = stream;
        _row = new byte[columns * sizeof(float)];
        Columns = columns;
        Rows = rows;
    }

    public int Columns { get; }

    public long Rows { get; private set; }

    /// <summary>The file's length in bytes once the rows written so far are flushed: the header and rows × columns floats.</summary>
    public long Length => NpyHeader.Length + (Rows * _row.Length);

    /// <summary>Creates (or replaces) <paramref name="path"/>, a valid .npy of zero rows until rows are written and flushed.</summary>
    public static NpyMatrixWriter Create(string path, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        var writer = new NpyMatrixWriter(stream, columns, 0);
        stream.Write(NpyHeader.Format(0, columns));
        stream.Flush();
        return writer;
    }

    /// <summary>
    /// Reopens a file this class wrote to continue after its first <paramref name="rows"/> rows: anything after them
    /// (rows written after the last checkpoint the caller kept) is cut off, and the header is rewritten to match.
    /// </summary>
    public static NpyMatrixWriter Append(string path, int columns, long rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var header = new byte[NpyHeader.Length];
            stream.ReadExactly(header);
            var (_, fileColumns) = NpyHeader.Parse(header, path);
            if (fileColumns != columns)
            {
                throw new QuiverException($"'{path}' holds {fileColumns}-dimensional rows, not {columns}; it cannot be continued with these vectors. Write a new file instead.");
            }

            var writer = new NpyMatrixWriter(stream, columns, rows);
            if (stream.Length < writer.Length)
            {
                throw new QuiverException(
                    $"'{path}' is {stream.Length:N0} bytes, shorter than the {rows:N0} rows it should already hold ({writer.Length:N0} bytes); it was cut or changed. Write a new file instead.");
            }

            stream.SetLength(writer.Length);
            stream.Position = 0;
            stream.Write(NpyHeader.Format(rows, columns));
            stream.Position = writer.Length;
            return writer;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public void Write(ReadOnlySpan<float> row)
    {
        if (row.Length != Columns)
        {
            throw new ArgumentException($"A row of this .npy file has {Columns} values; this one has {row.Length}.", nameof(row));
        }

        for (var i = 0; i < row.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(_row.AsSpan(i * sizeof(float)), row[i]);
        }

        _stream.Write(_row);
        Rows++;
    }

    /// <summary>
    /// Rewrites the header with the rows written so far and makes the file durable (one fsync). Should a crash land
    /// in the middle, the header may count rows whose data did not reach the disk; <see cref="Append"/> from the row
    /// count a caller saved after this returned cuts the file back and rewrites the header.
    /// </summary>
    public void Flush()
    {
        _stream.Position = 0;
        _stream.Write(NpyHeader.Format(Rows, Columns));
        _stream.Position = Length;
        _stream.Flush(flushToDisk: true);
    }

    public void Dispose()
    {
        Flush();
        _stream.Dispose();
    }
}
