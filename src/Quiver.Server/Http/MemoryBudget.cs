using System.Runtime;

namespace Quiver.Server.Http;

/// <summary>
/// A server-wide budget of bytes (<see cref="RequestMemory"/> has two: body buffers and parsed fields): memory is
/// reserved here before it is taken, so a burst of large bodies waits or is refused instead of taking the process to
/// gigabytes.
/// </summary>
internal sealed class MemoryBudget : IDisposable
{
    // A burst that reserved this much gets a full collection once it is over, so the process gives the memory back
    // instead of keeping it until the next allocation happens to trigger a collection (an idle server never does).
    private const long CollectAfterBytes = 64L << 20;
    private static readonly TimeSpan CollectDelay = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly Timer _collector;
    private long _used;
    private long _peakSinceCollect;

    public MemoryBudget(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _collector = new Timer(_ => CollectIfIdle());
    }

    public long Capacity { get; }

    public long Used
    {
        get
        {
            lock (_gate)
            {
                return _used;
            }
        }
    }

    /// <summary>Collections run after a burst (tests read it to see that one ran).</summary>
    public int Collections { get; private set; }

    /// <summary>
    /// Reserves <paramref name="bytes"/> at once, or returns false. For requests already under way (a field being
    /// parsed), which go ahead of waiting bodies: finishing them is what frees memory.
    /// </summary>
    public bool TryReserve(long bytes)
    {
        lock (_gate)
        {
            if (!Fits(bytes))
            {
                return false;
            }

            Take(bytes);
            return true;
        }
    }

    /// <summary>Reserves <paramref name="bytes"/>, waiting up to <paramref name="wait"/> for room; false if there was none.</summary>
    public async Task<bool> Reserve(long bytes, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (bytes > Capacity)
        {
            return false;
        }

        Waiter waiter;
        lock (_gate)
        {
            if (_waiters.Count == 0 && Fits(bytes))
            {
                Take(bytes);
                return true;
            }

            waiter = new Waiter(bytes);
            waiter.Node = _waiters.AddLast(waiter);
        }

        try
        {
            await waiter.Granted.Task.WaitAsync(wait, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            lock (_gate)
            {
                if (waiter.Node?.List is not null)
                {
                    _waiters.Remove(waiter.Node);
                    GrantWaiters();
                }
                else
                {
                    // Granted in the same instant it gave up: hand the bytes back.
                    Give(bytes);
                }
            }

            if (e is OperationCanceledException)
            {
                throw;
            }

            return false;
        }
    }

    public void Release(long bytes)
    {
        if (bytes <= 0)
        {
            return;
        }

        lock (_gate)
        {
            Give(bytes);
        }
    }

    public void Dispose() => _collector.Dispose();

    private bool Fits(long bytes) => _used + bytes <= Capacity;

    private void Take(long bytes)
    {
        _used += bytes;
        _peakSinceCollect = Math.Max(_peakSinceCollect, _used);
    }

    private void Give(long bytes)
    {
        _used -= bytes;
        GrantWaiters();
        if (_used == 0 && _peakSinceCollect >= CollectAfterBytes)
        {
            _collector.Change(CollectDelay, Timeout.InfiniteTimeSpan);
        }
    }

    // In order, while the first waiter fits: a large body at the head is not overtaken by smaller ones behind it.
    private void GrantWaiters()
    {
        while (_waiters.First is { } first && Fits(first.Value.Bytes))
        {
            _waiters.RemoveFirst();
            Take(first.Value.Bytes);
            first.Value.Granted.TrySetResult();
        }
    }

    private void CollectIfIdle()
    {
        lock (_gate)
        {
            if (_used != 0 || _peakSinceCollect < CollectAfterBytes)
            {
                return;
            }

            _peakSinceCollect = 0;
            Collections++;
        }

        // Large body buffers live on the large object heap; compacting it once and collecting aggressively returns
        // their pages (and the parsed fields' garbage) to the operating system.
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    private sealed class Waiter(long bytes)
    {
        public long Bytes { get; } = bytes;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }
    }
}
