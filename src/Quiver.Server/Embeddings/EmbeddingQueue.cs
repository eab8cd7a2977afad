namespace Quiver.Server.Embeddings;

/// <summary>
/// The requests waiting for one model, served by deficit round robin over tokens (Shreedhar and Varghese, 1995): each
/// visit gives a request a quantum of tokens to spend on its next slices, so every waiting request gets about the same
/// tokens per round whatever its size. A 2,048-input request is thus cut into model calls with the small requests
/// that arrive meanwhile run between its slices, and small requests waiting together still merge into one call.
/// </summary>
internal sealed class EmbeddingQueue(int quantum)
{
    private readonly Lock _gate = new();
    private readonly List<QueuedRequest> _waiting = [];
    private int _cursor;

    // Whether the request at the cursor has had its quantum for this visit (a call that filled up stops mid-visit, and
    // the next call goes on with the same request without a second quantum).
    private bool _charged;
    private int _pendingInputs;

    /// <summary>Released once per request added, so that idle callers wake up.</summary>
    public SemaphoreSlim Signal { get; } = new(0);

    /// <summary>Inputs waiting for a model call.</summary>
    public int PendingInputs => Volatile.Read(ref _pendingInputs);

    public void Add(QueuedRequest request)
    {
        lock (_gate)
        {
            _waiting.Add(request);
            _pendingInputs += request.QueuedInputs;
        }

        Signal.Release();
    }

    /// <summary>Takes a request's slices out of the queue (cancelled, out of time or failed): no further model call runs for it.</summary>
    public void Drop(QueuedRequest request)
    {
        lock (_gate)
        {
            var index = _waiting.IndexOf(request);
            if (index >= 0)
            {
                RemoveAt(index);
            }
        }
    }

    /// <summary>
    /// Adds waiting slices to <paramref name="call"/> in round-robin order until the next one does not fit in
    /// <paramref name="maxInputs"/> and <paramref name="maxTokens"/> or nothing waits. Returns whether it stopped at a
    /// slice that did not fit (the call is as full as it gets).
    /// </summary>
    public bool Fill(ModelCall call, int maxInputs, int maxTokens)
    {
        lock (_gate)
        {
            while (_waiting.Count > 0)
            {
                if (_cursor >= _waiting.Count)
                {
                    // A new round. When the call cannot take the first request's next slice anyway, stop before
                    // starting it: a request that arrives before the next call then goes first, not after that slice.
                    if (call.Slices.Count > 0 && _waiting[0].Next is { } first && !call.Fits(first, maxInputs, maxTokens))
                    {
                        return true;
                    }

                    _cursor = 0;
                    _charged = false;
                }

                var request = _waiting[_cursor];
                if (request.IsFinished)
                {
                    RemoveAt(_cursor);
                    continue;
                }

                if (!_charged)
                {
                    request.Deficit += quantum;
                    _charged = true;
                }

                while (request.Next is { } slice && slice.Tokens <= request.Deficit)
                {
                    if (!call.Fits(slice, maxInputs, maxTokens))
                    {
                        return true;
                    }

                    request.Take();
                    request.Deficit -= slice.Tokens;
                    _pendingInputs -= slice.Count;
                    call.Add(slice);
                }

                if (request.Next is null)
                {
                    // All its slices are taken; a request that leaves the round keeps no credit.
                    request.Deficit = 0;
                    RemoveAt(_cursor);
                }
                else
                {
                    _cursor++;
                    _charged = false;
                }
            }

            return false;
        }
    }

    private void RemoveAt(int index)
    {
        _pendingInputs -= _waiting[index].DropQueued();
        _waiting.RemoveAt(index);
        if (index < _cursor)
        {
            _cursor--;
        }
        else if (index == _cursor)
        {
            _charged = false;
        }
    }
}
