using Quiver.Core;

namespace Quiver.Store.Collections;

/// <summary>
/// The collections a host has open (the server, a vector store adapter), one <see cref="Collection"/> per name, shared
/// by everything in that host that reads the collection so they share one in-memory index. A collection deleted from
/// disk (by this host or another process) is forgotten on the next look-up, and one switched to a re-embedded version
/// is opened afresh.
/// </summary>
public sealed class OpenCollections(CollectionStore store) : IDisposable
{
    private readonly Dictionary<string, Collection> _open = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>The store the collections are opened from.</summary>
    public CollectionStore Store { get; } = store;

    /// <summary>The open collection of that name, or null when none exists.</summary>
    public Collection? Find(string name)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!Store.Exists(name))
            {
                Forget(name);
                return null;
            }

            if (_open.TryGetValue(name, out var collection) && collection.DatabasePath != Store.DatabasePath(name))
            {
                // Re-embedded (here or by another process): new requests get the new version. Requests still using
                // the old handle finish on the old version, which stays until they let go, so it is not disposed here.
                _open.Remove(name);
                collection = null;
            }

            if (collection is null)
            {
                collection = Store.Open(name);
                _open[name] = collection;
            }

            return collection;
        }
    }

    /// <summary>Opens the collection, creating it with <paramref name="options"/> when absent.</summary>
    public Collection OpenOrCreate(string name, CollectionOptions options)
    {
        lock (_gate)
        {
            var existing = Find(name);
            if (existing is not null)
            {
                return existing;
            }

            Collection created;
            try
            {
                created = Store.Create(name, options);
            }
            catch (QuiverException) when (Store.Exists(name))
            {
                // Another process created it between the look-up and the create.
                created = Store.Open(name);
            }

            _open[name] = created;
            return created;
        }
    }

    /// <summary>
    /// The collections open now, each at its current version: one re-embedded since it was opened is looked up again
    /// (the retired version's files may be gone), and one deleted by another process is left out.
    /// </summary>
    public IReadOnlyList<Collection> Opened
    {
        get
        {
            lock (_gate)
            {
                return _disposed ? [] : [.. _open.Keys.ToList().Select(Find).OfType<Collection>()];
            }
        }
    }

    /// <summary>Closes and deletes the collection; returns whether it existed.</summary>
    public bool Delete(string name)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Forget(name);
            return Store.Delete(name);
        }
    }

    /// <summary>
    /// Runs <paramref name="replace"/>, which swaps the files of collection <paramref name="name"/> (a restore), with the
    /// open collection of that name closed first, so the next look-up opens the new files instead of keeping an index
    /// built from the old ones.
    /// </summary>
    public T Replace<T>(string name, Func<T> replace)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Forget(name);
            return replace();
        }
    }

    /// <summary>Closes every open collection; look-ups after this throw.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var collection in _open.Values)
            {
                collection.Dispose();
            }

            _open.Clear();
        }
    }

    private void Forget(string name)
    {
        if (_open.Remove(name, out var collection))
        {
            collection.Dispose();
        }
    }
}
