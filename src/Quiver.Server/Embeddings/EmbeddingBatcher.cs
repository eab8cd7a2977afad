using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Quiver.Models.Onnx;
using Quiver.Server.Operations;

namespace Quiver.Server.Embeddings;

/// <summary>
/// Dynamic batching across requests, as text-embeddings-inference does: requests for one model queue up, and each of
/// the model's callers (<see cref="ServerOptions.ModelWorkers"/>) takes the waiting requests (up to
/// <see cref="ServerLimits.BatchMaxInputs"/> inputs, and its share when other callers are idle too) into a single
/// model call, so many small concurrent requests run as full batches. A request larger than the limit is split into
/// several jobs. When a merged call fails, the jobs in it are run one by one so that one bad request does not fail
/// its neighbours.
/// </summary>
internal sealed class EmbeddingBatcher(ServerOptions options, ServerMetrics metrics, ILogger<EmbeddingBatcher> logger) : IAsyncDisposable
{
    private readonly ServerLimits _limits = options.Limits;
    private readonly int _callers = options.ModelWorkers;
    private readonly ServerMetrics _metrics = metrics;
    private readonly ILogger _logger = logger;
    private readonly ConcurrentDictionary<ServedModel, Lazy<Worker>> _workers = new();
    private int _pending;
    private volatile bool _stopping;

    /// <summary>Inputs waiting for a model call.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public async Task<IReadOnlyList<EmbeddingResult>> Embed(ServedModel model, IReadOnlyList<EmbeddingInput> inputs, TruncationPolicy truncation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        var cache = model.Cache;
        if (cache is null || inputs.Any(i => i.IsTokens))
        {
            return await EmbedUncached(model, inputs, truncation, cancellationToken);
        }

        // Texts seen before (with this truncation) are answered from the cache; only the rest reach the model.
        var scope = cache.Scope(truncation.ToString());
        var results = new EmbeddingResult[inputs.Count];
        var missing = new List<int>();
        for (var i = 0; i < inputs.Count; i++)
        {
            if (cache.TryGet(scope, inputs[i].Text!, out var vector, out var tokens, out var truncated))
            {
                results[i] = new EmbeddingResult(vector, tokens, truncated, Cached: true);
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            var computed = await EmbedUncached(model, [.. missing.Select(i => inputs[i])], truncation, cancellationToken);
            for (var j = 0; j < missing.Count; j++)
            {
                var result = computed[j];
                results[missing[j]] = result;
                cache.Set(scope, inputs[missing[j]].Text!, result.Vector, result.Tokens, result.TruncatedTokens);
            }
        }

        return results;
    }

    private async Task<IReadOnlyList<EmbeddingResult>> EmbedUncached(ServedModel model, IReadOnlyList<EmbeddingInput> inputs, TruncationPolicy truncation, CancellationToken cancellationToken)
    {
        var worker = _workers.GetOrAdd(model, m => new Lazy<Worker>(() => new Worker(this, m))).Value;
        var jobs = new List<Job>();
        for (var start = 0; start < inputs.Count; start += _limits.BatchMaxInputs)
        {
            var count = Math.Min(_limits.BatchMaxInputs, inputs.Count - start);
            var job = new Job([.. inputs.Skip(start).Take(count)], truncation, cancellationToken);
            Interlocked.Add(ref _pending, count);
            await worker.Queue.Writer.WriteAsync(job, cancellationToken);
            jobs.Add(job);
        }

        var results = new List<EmbeddingResult>(inputs.Count);
        foreach (var job in jobs)
        {
            results.AddRange(await job.Done.Task.WaitAsync(cancellationToken));
        }

        return results;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        foreach (var worker in _workers.Values.Where(w => w.IsValueCreated).Select(w => w.Value))
        {
            worker.Queue.Writer.TryComplete();
            await Task.WhenAll(worker.Loops);
        }
    }

    private sealed record Job(IReadOnlyList<EmbeddingInput> Inputs, TruncationPolicy Truncation, CancellationToken CancellationToken)
    {
        public TaskCompletionSource<IReadOnlyList<EmbeddingResult>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // Jobs merge when the model can take them in one call: same kind of input, same truncation.
        public (bool, TruncationPolicy) Key => (Inputs.Count > 0 && Inputs[0].IsTokens, Truncation);
    }

    private sealed class Worker
    {
        private readonly EmbeddingBatcher _owner;
        private readonly ServedModel _model;
        private int _idle;

        public Worker(EmbeddingBatcher owner, ServedModel model)
        {
            _owner = owner;
            _model = model;
            Loops = [.. Enumerable.Range(0, owner._callers).Select(_ => Task.Run(Run))];
        }

        public Channel<Job> Queue { get; } = Channel.CreateUnbounded<Job>();

        public Task[] Loops { get; }

        // One caller: waits for jobs, takes a batch, runs it, again.
        private async Task Run()
        {
            var linger = TimeSpan.FromMilliseconds(_owner._limits.BatchLingerMilliseconds);
            var previousRequests = 0;
            Job? carried = null;
            while (true)
            {
                if (carried is null)
                {
                    Interlocked.Increment(ref _idle);
                    bool more;
                    try
                    {
                        more = await Queue.Reader.WaitToReadAsync();
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _idle);
                    }

                    if (!more)
                    {
                        return;
                    }
                }

                // With other callers idle too, take a fair share of what waits (rounded up), so that they run side by side.
                var sharers = Volatile.Read(ref _idle) + 1;
                var limit = Math.Clamp((_owner.Pending + sharers - 1) / sharers, 1, _owner._limits.BatchMaxInputs);
                var batch = new List<Job>();
                var inputs = Take(batch, 0, limit, ref carried);
                if (batch.Count == 0)
                {
                    continue;
                }

                // Under concurrent load, wait briefly for the clients just answered, so that calls merge them all.
                if (previousRequests > 1 && linger > TimeSpan.Zero && carried is null && inputs < limit)
                {
                    using var timeout = new CancellationTokenSource(linger);
                    try
                    {
                        while (carried is null && inputs < limit && await Queue.Reader.WaitToReadAsync(timeout.Token))
                        {
                            inputs = Take(batch, inputs, limit, ref carried);
                        }
                    }
                    catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                    {
                    }
                }

                previousRequests = batch.Count;
                Execute(batch);
            }
        }

        // What waits, up to the input limit (a first job over it still goes alone), with the first job's key; a job
        // of another key, or one that would pass the limit, is carried to this caller's next call.
        private int Take(List<Job> batch, int inputs, int limit, ref Job? carried)
        {
            while (true)
            {
                Job? job = carried;
                carried = null;
                if (job is null && !Queue.Reader.TryRead(out job))
                {
                    break;
                }

                if (job.CancellationToken.IsCancellationRequested)
                {
                    Interlocked.Add(ref _owner._pending, -job.Inputs.Count);
                    job.Done.TrySetCanceled(job.CancellationToken);
                    continue;
                }

                if (batch.Count > 0 && (job.Key != batch[0].Key || inputs + job.Inputs.Count > limit))
                {
                    carried = job;
                    break;
                }

                batch.Add(job);
                inputs += job.Inputs.Count;
            }

            return inputs;
        }

        private void Execute(List<Job> batch)
        {
            var inputs = batch.SelectMany(j => j.Inputs).ToList();
            Interlocked.Add(ref _owner._pending, -inputs.Count);
            _owner._metrics.BatchInputs.Record(inputs.Count);
            _owner._metrics.BatchRequests.Record(batch.Count);
            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var results = _model.Embed(inputs, batch[0].Truncation, CancellationToken.None);
                _owner._metrics.ModelDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("model", _model.Name));
                var at = 0;
                foreach (var job in batch)
                {
                    job.Done.TrySetResult(results.Skip(at).Take(job.Inputs.Count).ToList());
                    at += job.Inputs.Count;
                }

                Count(results);
            }
            catch (Exception) when (batch.Count > 1)
            {
                // Find the guilty job: each on its own.
                foreach (var job in batch)
                {
                    try
                    {
                        var results = _model.Embed(job.Inputs, job.Truncation, job.CancellationToken);
                        job.Done.TrySetResult(results);
                        Count(results);
                    }
                    catch (Exception e)
                    {
                        job.Done.TrySetException(e);
                    }
                }
            }
            catch (Exception e)
            {
                if (e is not Core.QuiverException and not Http.ApiException and not OperationCanceledException)
                {
                    _owner._logger.LogError(e, "Embedding with {Model} failed", _model.Name);
                }

                batch[0].Done.TrySetException(e);
            }
        }

        private void Count(IReadOnlyList<EmbeddingResult> results)
        {
            var tags = new KeyValuePair<string, object?>("model", _model.Name);
            _owner._metrics.Inputs.Add(results.Count, tags);
            _owner._metrics.Tokens.Add(results.Sum(r => (long)r.Tokens), tags);
        }
    }
}
