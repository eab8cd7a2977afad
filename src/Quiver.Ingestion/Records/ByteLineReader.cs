using System.Security.Cryptography;

namespace Quiver.Ingestion.Records;

/// <summary>
/// Physical lines of a UTF-8 stream as bytes, counted and hashed as they are consumed. Lines are found in bytes,
/// not decoded text, so that the reader always knows exactly how many bytes of the file its records came from: a
/// resumed run checks that those bytes are unchanged. ('\n' never occurs inside a multi-byte UTF-8 sequence.)
/// </summary>
internal sealed class ByteLineReader : IDisposable
{
    /// <summary>
    /// The longest line kept in memory. A file without line breaks (or a CSV quote left open) would otherwise be read
    /// whole; this stops it with an error instead.
    /// </summary>
    public const int MaxLineBytes = 64 << 20;

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    private readonly Stream _stream;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _buffer = new byte[64 << 10];
    private int _start;
    private int _end;
    private bool _eof;

    public ByteLineReader(Stream stream) => _stream = stream;

    /// <summary>Bytes consumed so far: every line returned, with its line break.</summary>
    public long BytesConsumed { get; private set; }

    /// <summary>Physical lines consumed so far; the number of the line last returned.</summary>
    public long Line { get; private set; }

    /// <summary>The SHA-256 of the bytes consumed so far.</summary>
    public byte[] ConsumedSha256() => _hash.GetCurrentHash();

    /// <summary>
    /// The next line, with its line break ("\n" or "\r\n") cut off and, on the first line, a UTF-8 byte order mark;
    /// <paramref name="terminator"/> is the line break (empty on a last line without one). Valid until the next call.
    /// </summary>
    public bool TryRead(out ReadOnlySpan<byte> line, out ReadOnlySpan<byte> terminator)
    {
        var searched = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                return Take(_start + searched + newline + 1, out line, out terminator);
            }

            searched = _end - _start;
            if (_eof)
            {
                if (_end == _start)
                {
                    line = terminator = default;
                    return false;
                }

                return Take(_end, out line, out terminator);
            }

            Fill();
        }
    }

    public void Dispose()
    {
        _hash.Dispose();
        _stream.Dispose();
    }

    private bool Take(int end, out ReadOnlySpan<byte> line, out ReadOnlySpan<byte> terminator)
    {
        var whole = _buffer.AsSpan(_start, end - _start);
        _hash.AppendData(whole);
        BytesConsumed += whole.Length;
        Line++;
        _start = end;
        var breakLength = whole.EndsWith("\r\n"u8) ? 2 : whole.EndsWith("\n"u8) ? 1 : 0;
        line = whole[..^breakLength];
        terminator = whole[^breakLength..];
        if (Line == 1 && line.StartsWith(Bom))
        {
            line = line[Bom.Length..];
        }

        return true;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes)
            {
                throw new TextRecordException(
                    Line + 1,
                    $"line {Line + 1} is longer than {MaxLineBytes >> 20} MiB without a line break. Records are one per line (a CSV field spans lines only inside quotes); check the file's format.");
            }

            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLineBytes));
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }
}
