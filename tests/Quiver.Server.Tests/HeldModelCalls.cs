using Quiver.Server.Embeddings;

namespace Quiver.Server.Tests;

/// <summary>
/// Stands between the embedding batcher and its model: records every model call (its inputs and cancellation), and
/// holds the first one until <see cref="Release"/>, so that a test can queue requests behind a call that is running.
/// </summary>
internal sealed class HeldModelCalls
{
    private readonly Lock _gate = new();
    private readonly List<(IReadOnlyList<EmbeddingInput> Inputs, CancellationToken Cancellation)> _calls = [];
    private readonly ManualResetEventSlim _released = new();
    private readonly TaskCompletionSource _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldModelCalls(EmbeddingBatcher batcher, bool hold = true)
    {
        if (!hold)
        {
            _released.Set();
        }

        batcher.Run = (model, inputs, truncation, cancellation) =>
        {
            lock (_gate)
            {
                _calls.Add((inputs, cancellation));
            }

            _firstStarted.TrySetResult();
            _released.Wait(TimeSpan.FromMinutes(1));
            return model.EmbedAsync(inputs, truncation, cancellation);
        };
    }

    /// <summary>Completes when the first model call has begun (and is held).</summary>
    public Task FirstStarted => _firstStarted.Task;

    public IReadOnlyList<(IReadOnlyList<EmbeddingInput> Inputs, CancellationToken Cancellation)> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    public void Release() => _released.Set();

    /// <summary>The index of the first call that held an input with this text, -1 when none did.</summary>
    public int CallWith(string text) => Calls.ToList().FindIndex(c => c.Inputs.Any(i => i.Text == text));

    /// <summary>The index of the last call that held an input with this text, -1 when none did.</summary>
    public int LastCallWith(string text) => Calls.ToList().FindLastIndex(c => c.Inputs.Any(i => i.Text == text));
}
