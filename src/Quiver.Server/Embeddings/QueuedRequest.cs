using Quiver.Models.Onnx;

namespace Quiver.Server.Embeddings;

/// <summary>
/// One request's inputs in a model's <see cref="EmbeddingQueue"/>: cut up front into slices of consecutive inputs (at
/// most a model call's inputs and tokens each), answered when its last slice is, and dropped whole when it fails, is
/// cancelled or runs out of time.
/// </summary>
internal sealed class QueuedRequest
{
    private readonly Queue<EmbeddingSlice> _slices = new();
    private readonly EmbeddingResult[] _results;
    private int _unanswered;

    public QueuedRequest(IReadOnlyList<EmbeddingInput> inputs, IReadOnlyList<int> costs, TruncationPolicy truncation, int sliceInputs, int sliceTokens, CancellationToken cancellationToken)
    {
        Inputs = inputs;
        Truncation = truncation;
        CancellationToken = cancellationToken;
        _results = new EmbeddingResult[inputs.Count];
        var start = 0;
        var tokens = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            // An input that would take the slice past a limit starts the next one; an input over the token limit goes alone.
            if (i > start && (i - start == sliceInputs || tokens + costs[i] > sliceTokens))
            {
                _slices.Enqueue(new EmbeddingSlice(this, start, i - start, tokens));
                start = i;
                tokens = 0;
            }

            tokens += costs[i];
        }

        if (inputs.Count > start)
        {
            _slices.Enqueue(new EmbeddingSlice(this, start, inputs.Count - start, tokens));
        }

        _unanswered = _slices.Count;
        QueuedInputs = inputs.Count;
    }

    public IReadOnlyList<EmbeddingInput> Inputs { get; }

    public TruncationPolicy Truncation { get; }

    /// <summary>The client going away or the deadline passing, whichever comes first.</summary>
    public CancellationToken CancellationToken { get; }

    public TaskCompletionSource<IReadOnlyList<EmbeddingResult>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Requests merge into one model call when the model can take them together: same kind of input, same truncation.</summary>
    public (bool Tokens, TruncationPolicy Truncation) Key => (Inputs[0].IsTokens, Truncation);

    /// <summary>The tokens this request may still spend in the current round (deficit round robin); only the queue's lock touches it.</summary>
    public long Deficit { get; set; }

    /// <summary>Inputs of slices not yet taken into a model call; only the queue's lock touches it.</summary>
    public int QueuedInputs { get; private set; }

    /// <summary>Answered, failed or cancelled: nothing more of it should run.</summary>
    public bool IsFinished => Done.Task.IsCompleted || CancellationToken.IsCancellationRequested;

    /// <summary>The next slice to run, if any is left (under the queue's lock).</summary>
    public EmbeddingSlice? Next => _slices.Count > 0 ? _slices.Peek() : null;

    /// <summary>Takes the next slice for a model call (under the queue's lock).</summary>
    public EmbeddingSlice Take()
    {
        var slice = _slices.Dequeue();
        QueuedInputs -= slice.Count;
        return slice;
    }

    /// <summary>Forgets the slices not yet taken (under the queue's lock) and says how many inputs they held.</summary>
    public int DropQueued()
    {
        var dropped = QueuedInputs;
        _slices.Clear();
        QueuedInputs = 0;
        return dropped;
    }

    /// <summary>Records a slice's results; the last one answers the request. Slices may finish on different callers at once.</summary>
    public void Answer(EmbeddingSlice slice, IReadOnlyList<EmbeddingResult> results, int offset)
    {
        for (var i = 0; i < slice.Count; i++)
        {
            _results[slice.Start + i] = results[offset + i];
        }

        if (Interlocked.Decrement(ref _unanswered) == 0)
        {
            Done.TrySetResult(_results);
        }
    }
}
