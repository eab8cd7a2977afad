using System.Security.Cryptography;

namespace Quiver.Store.Snapshots;

/// <summary>
/// A read-only view of a seekable stream that shows each chunk read through it to a callback (for a checksum and
/// progress), so a tar entry can be written from it with its length known and hashed in the same pass.
/// </summary>
/// <param name="hash">Takes every byte read, when given.</param>
/// <param name="read">Told how many bytes each read gave.</param>
internal sealed class CountingReadStream(Stream inner, IncrementalHash? hash, Action<int> read) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        hash?.AppendData(buffer[..n]);
        read(n);
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
