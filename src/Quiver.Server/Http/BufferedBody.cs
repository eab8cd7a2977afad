using System.Buffers;

namespace Quiver.Server.Http;

/// <summary>
/// A request body read whole into one buffer whose bytes are reserved in <see cref="BodyMemory"/>, with whatever
/// the request reserves later (parsed fields). Disposing it gives the buffer and every reservation back.
/// </summary>
internal sealed class BufferedBody : IDisposable
{
    // Small buffers come from the shared pool, where they are reused; larger ones are allocated for the request and
    // dropped after it, so a burst of large bodies does not leave large arrays parked in a pool for good.
    private const int PooledUpTo = 1 << 20;

    private readonly BodyMemory _memory;
    private byte[] _array;
    private long _reserved;

    private BufferedBody(BodyMemory memory, int capacity, long reserved)
    {
        _memory = memory;
        _reserved = reserved;
        _array = Rent(capacity);
    }

    public int Length { get; private set; }

    public int Capacity => _array.Length;

    public ReadOnlyMemory<byte> Bytes => _array.AsMemory(0, Length);

    /// <summary>The whole of <see cref="BodyMemory"/>, for messages.</summary>
    public long Budget => _memory.Capacity;

    /// <summary>Bytes this request holds in <see cref="BodyMemory"/>.</summary>
    public long Reserved => _reserved;

    /// <summary>A buffer of <paramref name="capacity"/> bytes, once the budget has room (waiting up to <paramref name="wait"/>); null if it had none.</summary>
    public static async Task<BufferedBody?> Create(BodyMemory memory, int capacity, TimeSpan wait, CancellationToken cancellationToken) =>
        await memory.Reserve(capacity, wait, cancellationToken) ? new BufferedBody(memory, capacity, capacity) : null;

    /// <summary>Appends bytes that fit the capacity.</summary>
    public void Append(in ReadOnlySequence<byte> bytes)
    {
        bytes.CopyTo(_array.AsSpan(Length));
        Length += (int)bytes.Length;
    }

    /// <summary>Moves to a larger buffer (a body without Content-Length that outgrew its first guess); false when the budget had no room in time.</summary>
    public async Task<bool> Grow(int capacity, TimeSpan wait, CancellationToken cancellationToken)
    {
        var extra = capacity - _array.Length;
        if (!await _memory.Reserve(extra, wait, cancellationToken))
        {
            return false;
        }

        var larger = Rent(capacity);
        _array.AsSpan(0, Length).CopyTo(larger);
        Return(_array);
        _array = larger;
        _reserved += extra;
        return true;
    }

    /// <summary>Reserves memory for something made from this body (a parsed field) without waiting; false when the budget is full.</summary>
    public bool TryReserveMore(long bytes)
    {
        if (!_memory.TryReserve(bytes))
        {
            return false;
        }

        _reserved += bytes;
        return true;
    }

    public void Dispose()
    {
        Return(_array);
        _array = [];
        _memory.Release(_reserved);
        _reserved = 0;
    }

    private static byte[] Rent(int capacity) =>
        capacity <= PooledUpTo ? ArrayPool<byte>.Shared.Rent(capacity) : GC.AllocateUninitializedArray<byte>(capacity);

    private static void Return(byte[] array)
    {
        if (array.Length is > 0 and <= PooledUpTo)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
