using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Quiver.Models.Caching;
using Quiver.Models.Onnx;
using Quiver.Server.Http;
using Quiver.Server.Operations;

namespace Quiver.Server.Embeddings;

/// <summary>
/// Dynamic batching across requests, as text-embeddings-inference does, scheduled fairly by tokens. Each request is
/// costed first (the tokens its model would run; over <see cref="ServerLimits.MaxTokensPerRequest"/> it is refused
/// before any model work), answered from the model's embedding cache (a <see cref="CachingEmbeddingGenerator"/>
/// over the queue) where it can be, and the rest joins its model's
/// <see cref="EmbeddingQueue"/> in slices; the model's callers (<see cref="ServerOptions.ModelWorkers"/>) take turns
/// between waiting requests by tokens, merging small ones into one call. A request past
/// <see cref="ServerLimits.EmbeddingDeadline"/> gets 503, and one whose client went away is dropped: either way no
/// further model call runs for it.
/// </summary>
internal sealed class EmbeddingBatcher(ServerOptions options, ServerMetrics metrics, ILogger<EmbeddingBatcher> logger) : IAsyncDisposable
{
    private readonly ServerLimits _limits = options.Limits;
    private readonly ConcurrentDictionary<ServedModel, Lazy<ModelWorker>> _workers = new();
    private readonly ConcurrentDictionary<ServedModel, Lazy<CachingEmbeddingGenerator>> _caches = new();
    private volatile bool _stopping;

    /// <summary>How a model call runs; tests replace it to count or hold calls.</summary>
    public delegate Task<IReadOnlyList<EmbeddingResult>> ModelRunner(ServedModel model, IReadOnlyList<EmbeddingInput> inputs, TruncationPolicy truncation, CancellationToken cancellationToken);

    /// <summary>Runs each model call (the model itself unless a test says otherwise); set before the first request.</summary>
    public ModelRunner Run { get; set; } = static (model, inputs, truncation, cancellationToken) => model.EmbedAsync(inputs, truncation, cancellationToken);

    /// <summary>Inputs waiting for a model call.</summary>
    public int Pending => _workers.Values.Where(w => w.IsValueCreated).Sum(w => w.Value.Queue.PendingInputs);

    /// <summary>
    /// Embeds a request's inputs through the cache and the model's queue. A <paramref name="background"/> call is the
    /// server's own work (re-embedding a collection): it shares the queue, the merged calls and the cache, but neither
    /// the per-request token budget nor the deadline, which protect clients waiting for an answer, apply to it.
    /// </summary>
    public async Task<IReadOnlyList<EmbeddingResult>> Embed(
        ServedModel model, IReadOnlyList<EmbeddingInput> inputs, TruncationPolicy truncation, CancellationToken cancellationToken, bool background = false)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        var costs = Cost(model, inputs, truncation, enforceBudget: !background);
        if (background)
        {
            return await EmbedCached(model, inputs, costs, truncation, cancellationToken);
        }

        // The deadline counts from here: queue and model time together.
        using var deadline = new CancellationTokenSource(_limits.EmbeddingDeadline);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await EmbedCached(model, inputs, costs, truncation, linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ApiException(
                503,
                $"The request did not finish within the server's embedding deadline of {_limits.EmbeddingDeadline.TotalSeconds:0.###} s (queue and model time together); " +
                "its remaining work was dropped. Send fewer or shorter inputs per request, or retry when the server is less busy.",
                code: "deadline_exceeded");
        }
    }

    /// <summary>Each input's cost in tokens; a request over the budget is refused here, before any model work.</summary>
    private int[] Cost(ServedModel model, IReadOnlyList<EmbeddingInput> inputs, TruncationPolicy truncation, bool enforceBudget)
    {
        var costs = new int[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            costs[i] = model.Cost(inputs[i], truncation);
        }

        var total = costs.Sum(c => (long)c);
        if (enforceBudget && model.CostsTokens && total > _limits.MaxTokensPerRequest)
        {
            var chunked = truncation == TruncationPolicy.Chunk ? " (with truncation 'chunk', every window counts, overlaps and special tokens included)" : "";
            throw new ApiException(
                413,
                $"The request costs {total} tokens{chunked} over {inputs.Count} input(s); the server embeds at most {_limits.MaxTokensPerRequest} tokens per request. " +
                "Split the inputs into several requests" + (truncation == TruncationPolicy.Chunk ? ", or use truncation 'truncate'." : "."),
                "input",
                "max_tokens_per_request");
        }

        return costs;
    }

    private async Task<IReadOnlyList<EmbeddingResult>> EmbedCached(ServedModel model, IReadOnlyList<EmbeddingInput> inputs, int[] costs, TruncationPolicy truncation, CancellationToken cancellationToken)
    {
        if (_limits.EmbeddingCacheEntries == 0 || inputs.Any(i => i.IsTokens))
        {
            return await Enqueue(model, inputs, costs, truncation, cancellationToken);
        }

        // Texts seen before (with this truncation) are answered by the model's cache; only the rest reach its queue.
        var cache = _caches.GetOrAdd(model, m => new Lazy<CachingEmbeddingGenerator>(() => new CachingEmbeddingGenerator(
            new QueuedEmbeddingGenerator(this, m), m.Space, new EmbeddingCacheOptions { MaxEntries = _limits.EmbeddingCacheEntries }))).Value;
        var texts = new string[inputs.Count];
        var textCosts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Count; i++)
        {
            texts[i] = inputs[i].Text!;
            textCosts[texts[i]] = costs[i];
        }

        var embeddings = await cache.GenerateAsync(texts, new QueuedEmbeddingOptions(truncation, textCosts), cancellationToken);
        return [.. embeddings.Select(QueuedEmbeddingGenerator.Result)];
    }

    /// <summary>Puts inputs on their model's queue (no cache) and waits for their answers.</summary>
    internal async Task<IReadOnlyList<EmbeddingResult>> Enqueue(ServedModel model, IReadOnlyList<EmbeddingInput> inputs, int[] costs, TruncationPolicy truncation, CancellationToken cancellationToken)
    {
        if (inputs.Count == 0)
        {
            return [];
        }

        var worker = _workers.GetOrAdd(model, m => new Lazy<ModelWorker>(() => new ModelWorker(m, options.ModelWorkers, _limits, metrics, logger, Run))).Value;
        var request = new QueuedRequest(inputs, costs, truncation, _limits.BatchMaxInputs, _limits.BatchMaxTokens, cancellationToken);
        worker.Queue.Add(request);

        try
        {
            return await request.Done.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Cancelled or out of time: its slices leave the queue before the answer goes out, so no further model call runs for it.
            worker.Queue.Drop(request);
            request.Done.TrySetCanceled(cancellationToken);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        foreach (var worker in _workers.Values.Where(w => w.IsValueCreated).Select(w => w.Value))
        {
            await worker.Stop();
        }

        foreach (var cache in _caches.Values.Where(c => c.IsValueCreated))
        {
            cache.Value.Dispose();
        }
    }
}
