using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quiver.Server.Collections;
using Quiver.Server.Embeddings;

namespace Quiver.Server.Operations;

/// <summary>
/// On start, opens every collection and loads its index in the background (reported by <see cref="StoreReadiness"/>).
/// On shutdown, after Kestrel has finished the requests in flight: stops that load, the re-embedding jobs and the
/// embedding batcher they embed through (draining what it holds), writes each open collection's index snapshot, then closes collections and models.
/// </summary>
internal sealed class StoreLifetime(
    ServedCollections collections, ServedModels models, ReembedJobs reembeds, EmbeddingBatcher batcher, StoreReadiness readiness, ILogger<StoreLifetime> logger)
    : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loading = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Debug: the host's own start line names the folder; at Information it would print even when the start fails.
        logger.LogDebug("Serving collections from {Root}", collections.Store.Root);
        IReadOnlyList<string> names;
        try
        {
            names = [.. collections.Names];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The server still starts; /readyz reports the store it cannot write, and requests get their own errors.
            logger.LogError(e, "Could not list the collections in {Root}", collections.Store.Root);
            names = [];
        }

        readiness.Start(names.Count);
        _loading = Task.Run(() => Load(names, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loading;
        await reembeds.DisposeAsync();
        await batcher.DisposeAsync();
        try
        {
            collections.FlushAll();
        }
        catch (Exception e)
        {
            // SQLite already holds every acknowledged write; a snapshot that fails to write is rebuilt on next open.
            logger.LogWarning(e, "Could not write an index snapshot on shutdown");
        }

        collections.Dispose();
        models.Dispose();
        _stopping.Dispose();
        logger.LogInformation("Store flushed and closed");
    }

    private void Load(IReadOnlyList<string> names, CancellationToken stopping)
    {
        foreach (var name in names)
        {
            if (stopping.IsCancellationRequested)
            {
                return;
            }

            try
            {
                // Inspecting brings the index up to date with SQLite (snapshot read, changes replayed), which is the
                // work a first search would otherwise pay for.
                _ = collections.Get(name).InspectIndex();
            }
            catch (Exception e)
            {
                // A collection that cannot be opened answers its own requests with errors; it does not hold back the rest.
                logger.LogError(e, "Could not load collection {Collection}", name);
            }

            readiness.Advance();
        }
    }
}
