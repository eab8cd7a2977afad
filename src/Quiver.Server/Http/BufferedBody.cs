using System.Buffers;

namespace Quiver.Server.Http;

/// <summary>
/// A request body read whole into one buffer whose bytes are reserved in <see cref="RequestMemory.Buffers"/>, with
/// the memory of the fields parsed from it (<see cref="RequestMemory.Fields"/>). Disposing it gives the buffer and
/// every reservation back.
/// </summary>
internal sealed class BufferedBody : IDisposable
{
    // Small buffers come from the shared pool, where they are reused; larger ones are allocated for the request and
    // dropped after it, so a burst of large bodies does not leave large arrays parked in a pool for good.
    private const int PooledUpTo = 1 << 20;

    private readonly MemoryBudget _memory;
    private readonly MemoryBudget _fields;
    private byte[] _array;
    private long _reserved;
    private long _reservedFields;

    private BufferedBody(RequestMemory memory, int capacity)
    {
        _memory = memory.Buffers;
        _fields = memory.Fields;
        _reserved = capacity;
        _array = Rent(capacity);
    }

    public int Length { get; private set; }

    public int Capacity => _array.Length;

    public ReadOnlyMemory<byte> Bytes => _array.AsMemory(0, Length);

    /// <summary>The whole of the parsed fields' budget, for messages.</summary>
    public long FieldBudget => _fields.Capacity;

    /// <summary>A buffer of <paramref name="capacity"/> bytes, once the budget has room (waiting up to <paramref name="wait"/>); null if it had none.</summary>
    public static async Task<BufferedBody?> Create(RequestMemory memory, int capacity, TimeSpan wait, CancellationToken cancellationToken) =>
        await memory.Buffers.Reserve(capacity, wait, cancellationToken) ? new BufferedBody(memory, capacity) : null;

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
        if (!_fields.TryReserve(bytes))
        {
            return false;
        }

        _reservedFields += bytes;
        return true;
    }

    /// <summary>Reserves memory for parsed fields, waiting up to <paramref name="wait"/> for room; false when there was none.</summary>
    public async Task<bool> ReserveMore(long bytes, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!await _fields.Reserve(bytes, wait, cancellationToken))
        {
            return false;
        }

        _reservedFields += bytes;
        return true;
    }

    public void Dispose()
    {
        Return(_array);
        _array = [];
        _memory.Release(_reserved);
        _reserved = 0;
        _fields.Release(_reservedFields);
        _reservedFields = 0;
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
