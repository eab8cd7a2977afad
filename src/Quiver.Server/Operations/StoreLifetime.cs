using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quiver.Server.Collections;
using Quiver.Server.Embeddings;

namespace Quiver.Server.Operations;

/// <summary>
/// On shutdown, after Kestrel has finished the requests in flight: stops the embedding batcher (draining what it
/// holds), writes each open collection's index snapshot, then closes collections and models.
/// </summary>
internal sealed class StoreLifetime(ServedCollections collections, ServedModels models, EmbeddingBatcher batcher, ILogger<StoreLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Debug: the host's own start line names the folder; at Information it would print even when the start fails.
        logger.LogDebug("Serving collections from {Root}", collections.Store.Root);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
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
        logger.LogInformation("Store flushed and closed");
    }
}
