using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Quiver.Models.Onnx;
using Quiver.Server.Operations;

namespace Quiver.Server.Embeddings;

/// <summary>
/// The callers of one model: each takes waiting slices from the model's <see cref="EmbeddingQueue"/> into one model
/// call (up to <see cref="ServerLimits.BatchMaxInputs"/> inputs and <see cref="ServerLimits.BatchMaxTokens"/> tokens,
/// and its share when other callers are idle too), runs it, and answers the requests in it. When a merged call fails,
/// its slices are run one by one so that one bad request does not fail its neighbours.
/// </summary>
internal sealed class ModelWorker
{
    private readonly ServedModel _model;
    private readonly ServerLimits _limits;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly EmbeddingBatcher.ModelRunner _run;
    private readonly CancellationTokenSource _stopping = new();
    private int _idle;

    public ModelWorker(ServedModel model, int callers, ServerLimits limits, ServerMetrics metrics, ILogger logger, EmbeddingBatcher.ModelRunner run)
    {
        _model = model;
        _limits = limits;
        _metrics = metrics;
        _logger = logger;
        _run = run;
        Queue = new EmbeddingQueue(limits.BatchMaxTokens);
        Loops = [.. Enumerable.Range(0, callers).Select(_ => Task.Run(Run))];
    }

    public EmbeddingQueue Queue { get; }

    public Task[] Loops { get; }

    /// <summary>Lets the callers finish what waits, then end (again a no-op: the host may dispose the batcher twice).</summary>
    public async Task Stop()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(Loops);
    }

    // One caller: waits for work, takes a call's worth, runs it, again.
    private async Task Run()
    {
        var linger = TimeSpan.FromMilliseconds(_limits.BatchLingerMilliseconds);
        var previousRequests = 0;
        while (true)
        {
            // With other callers idle too, take a fair share of what waits (rounded up), so that they run side by side.
            var sharers = Volatile.Read(ref _idle) + 1;
            var maxInputs = Math.Clamp((Queue.PendingInputs + sharers - 1) / sharers, 1, _limits.BatchMaxInputs);
            var call = new ModelCall();
            var full = Queue.Fill(call, maxInputs, _limits.BatchMaxTokens);
            if (call.Slices.Count == 0)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                Interlocked.Increment(ref _idle);
                try
                {
                    await Queue.Signal.WaitAsync(_stopping.Token);
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    // Stopping: one more look for work, then out.
                }
                finally
                {
                    Interlocked.Decrement(ref _idle);
                }

                continue;
            }

            // Under concurrent load, wait briefly for the clients just answered, so that calls merge them all.
            if (previousRequests > 1 && linger > TimeSpan.Zero && !full && call.Inputs < maxInputs)
            {
                var until = Stopwatch.GetTimestamp() + (long)(linger.TotalSeconds * Stopwatch.Frequency);
                while (!full && call.Inputs < maxInputs)
                {
                    var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until);
                    if (left <= TimeSpan.Zero || !await Queue.Signal.WaitAsync(left))
                    {
                        break;
                    }

                    full = Queue.Fill(call, maxInputs, _limits.BatchMaxTokens);
                }
            }

            previousRequests = call.Slices.Count;
            await Execute(call);
        }
    }

    private async Task Execute(ModelCall call)
    {
        var slices = call.Slices;
        _metrics.BatchInputs.Record(call.Inputs);
        _metrics.BatchRequests.Record(slices.Count);
        try
        {
            // A call for one request alone stops as soon as that request is cancelled; a merged one runs for the others.
            var cancellation = slices.Count == 1 ? slices[0].Request.CancellationToken : CancellationToken.None;
            var started = Stopwatch.GetTimestamp();
            var results = await _run(_model, [.. slices.SelectMany(s => s.Inputs)], slices[0].Request.Truncation, cancellation);
            _metrics.ModelDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("model", _model.Name));
            var at = 0;
            foreach (var slice in slices)
            {
                slice.Request.Answer(slice, results, at);
                at += slice.Count;
            }

            Count(results);
        }
        catch (Exception) when (slices.Count > 1)
        {
            // Find the guilty request: each slice on its own.
            foreach (var slice in slices.Where(s => !s.Request.IsFinished))
            {
                try
                {
                    var results = await _run(_model, [.. slice.Inputs], slice.Request.Truncation, slice.Request.CancellationToken);
                    slice.Request.Answer(slice, results, 0);
                    Count(results);
                }
                catch (Exception e)
                {
                    Fail(slice.Request, e);
                }
            }
        }
        catch (Exception e)
        {
            Fail(slices[0].Request, e);
        }
    }

    private void Fail(QueuedRequest request, Exception e)
    {
        if (e is not Core.QuiverException and not Http.ApiException and not OperationCanceledException)
        {
            _logger.LogError(e, "Embedding with {Model} failed", _model.Name);
        }

        if (e is OperationCanceledException && request.CancellationToken.IsCancellationRequested)
        {
            request.Done.TrySetCanceled(request.CancellationToken);
        }
        else
        {
            request.Done.TrySetException(e);
        }

        Queue.Drop(request);
    }

    private void Count(IReadOnlyList<EmbeddingResult> results)
    {
        var tags = new KeyValuePair<string, object?>("model", _model.Name);
        _metrics.Inputs.Add(results.Count, tags);
        _metrics.Tokens.Add(results.Sum(r => (long)r.Tokens), tags);
    }
}
