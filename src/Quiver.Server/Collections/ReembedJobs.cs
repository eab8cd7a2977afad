using Microsoft.Extensions.Logging;
using Quiver.Core;
using Quiver.Models;
using Quiver.Models.Prompts;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;
using Quiver.Store.Reembedding;

namespace Quiver.Server.Collections;

/// <summary>
/// The re-embeddings the server runs in the background, one per collection at a time, and the last one's outcome
/// for each collection. Requests keep being served from the old version meanwhile; once a job switches, the
/// collections registry opens the new version on the next request. A job stopped by shutdown resumes when it is
/// requested again (its checkpoint is in the new version's database). A job embeds through the server's
/// <see cref="EmbeddingBatcher"/>, as every route does: its texts share the model's queue (taking turns with the
/// clients' requests), merged calls and cache, outside the per-request budget and deadline.
/// </summary>
internal sealed class ReembedJobs(
    ServedCollections collections, ServedModels models, EmbeddingBatcher batcher, ServerOptions serverOptions, ILogger<ReembedJobs> logger) : IAsyncDisposable
{
    private readonly Dictionary<string, ReembedRun> _runs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Checks the request (refusing at once what would stop the job) and starts the job in the background.</summary>
    public ReembedRun Start(string name, string? modelName, ReembedOptions options)
    {
        var collection = collections.Get(name);
        var from = collection.Space;
        if (modelName is null && from.IsRaw)
        {
            throw ApiException.BadRequest($"Collection `{name}` holds raw vectors, made by no installed model; name the model for the new vectors.", "model");
        }

        // The collection's own model keeps the variant (pooling) and the document prompt the collection recorded, as
        // CollectionEncoders.OpenInstalledText does; another model brings its own.
        var own = modelName is null || (!from.IsRaw && modelName == from.Model.Name);
        var model = own ? models.Get(from.Model.Name, from.Model.Variant) : models.Get(modelName);
        var prompt = own ? from.DocumentPrompt : model.Space.DocumentPrompt;
        var batched = new TextEmbeddingGenerator(new BatchedTextEncoder(batcher, model, serverOptions.Truncation, background: true));
        var generator = PromptedEmbeddingGenerator.Wrap(batched, prompt);
        var job = new ReembedJob(collections.Store, name, generator, options);
        lock (_gate)
        {
            if (_runs.TryGetValue(name, out var running) && running.Running)
            {
                throw new ApiException(409, $"Collection `{name}` is being re-embedded already (with {running.Model}, since {running.StartedAt:O}); follow it with GET /collections/{name}/reembed.", code: "reembed_running");
            }

            try
            {
                job.Validate();
            }
            catch (QuiverException e)
            {
                throw ApiException.BadRequest(e.Message);
            }

            var run = new ReembedRun(name, model.Name, options);
            run.Task = Task.Run(async () =>
            {
                try
                {
                    run.Finish(await job.RunAsync(new SynchronousProgress<ReembedProgress>(run.Report), run.Stop.Token));
                    logger.LogInformation("Collection {Collection} re-embedded with {Model}: {Points} points.", name, model.Name, run.Result!.Points);
                }
                catch (Exception e)
                {
                    run.Fail(e is OperationCanceledException ? "stopped by the server's shutdown; request the re-embedding again to resume it" : e.Message);
                    if (e is not OperationCanceledException)
                    {
                        logger.LogError(e, "Re-embedding collection {Collection} with {Model} failed.", name, model.Name);
                    }
                }
            });
            _runs[name] = run;
            return run;
        }
    }

    /// <summary>The running or last re-embedding of the collection, or null when the server has run none.</summary>
    public ReembedRun? Find(string name)
    {
        lock (_gate)
        {
            return _runs.GetValueOrDefault(name);
        }
    }

    /// <summary>
    /// Stops the running jobs (each resumes from its checkpoint when requested again) and waits for them: on shutdown,
    /// before the batcher they embed through stops. Again a no-op.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        ReembedRun[] runs;
        lock (_gate)
        {
            runs = [.. _runs.Values];
            _runs.Clear();
        }

        foreach (var run in runs)
        {
            await run.Stop.CancelAsync();
        }

        await Task.WhenAll(runs.Select(r => r.Task));
        foreach (var run in runs)
        {
            run.Stop.Dispose();
        }
    }
}
