using System.Collections.Concurrent;
using Quiver.Analysis.Projection;
using Quiver.Store.Collections;

namespace Quiver.Server.Collections;

/// <summary>
/// Projections the server has computed, keyed by collection (name and creation time, so a re-created collection
/// never gets its predecessor's map), method, dimensions, seed and limit, and valid while the collection's sequence
/// number is unchanged. Concurrent requests for the same key share one computation; different keys compute one at a
/// time server-wide, because each is CPU-bound and a few of them would take every core. At most
/// <see cref="Capacity"/> entries are kept (the oldest goes first).
/// </summary>
internal sealed class ProjectionCache
{
    public const int Capacity = 32;

    private readonly ConcurrentDictionary<Key, Lazy<Task<ProjectedCollection>>> _entries = new();
    private readonly SemaphoreSlim _computing = new(1, 1);

    /// <summary>The cached projection for the collection's current sequence, or one computed now.</summary>
    public async Task<(ProjectedCollection Projection, bool Cached)> Get(Collection collection, ProjectionOptions options, int limit, CancellationToken cancellationToken)
    {
        var key = new Key(collection.Name, collection.CreatedAt, options.Method, options.Dimensions, options.Seed, limit);
        var sequence = collection.Sequence();
        while (true)
        {
            var created = false;
            var entry = _entries.GetOrAdd(key, _ =>
            {
                created = true;
                return new Lazy<Task<ProjectedCollection>>(() => Compute(collection, options, limit));
            });
            ProjectedCollection projection;
            try
            {
                projection = await entry.Value.WaitAsync(cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // A failed computation is not cached: the next request tries again (and gets the error again if it is the input's).
                _entries.TryRemove(new KeyValuePair<Key, Lazy<Task<ProjectedCollection>>>(key, entry));
                throw;
            }

            if (projection.Sequence >= sequence)
            {
                Trim();
                return (projection, !created);
            }

            // Computed before a change this request has seen: drop it and compute again.
            _entries.TryRemove(new KeyValuePair<Key, Lazy<Task<ProjectedCollection>>>(key, entry));
        }
    }

    private async Task<ProjectedCollection> Compute(Collection collection, ProjectionOptions options, int limit)
    {
        await _computing.WaitAsync();
        try
        {
            return await Task.Run(() => ProjectedCollection.Compute(collection, options, limit));
        }
        finally
        {
            _computing.Release();
        }
    }

    private void Trim()
    {
        while (_entries.Count > Capacity)
        {
            var oldest = _entries
                .Where(e => e.Value.IsValueCreated && e.Value.Value.IsCompletedSuccessfully)
                .OrderBy(e => e.Value.Value.Result.ComputedAt)
                .Select(e => (KeyValuePair<Key, Lazy<Task<ProjectedCollection>>>?)e)
                .FirstOrDefault();
            if (oldest is null || !_entries.TryRemove(oldest.Value))
            {
                return;
            }
        }
    }

    private readonly record struct Key(string Collection, DateTimeOffset CreatedAt, ProjectionMethod Method, int Dimensions, int Seed, int Limit);
}
