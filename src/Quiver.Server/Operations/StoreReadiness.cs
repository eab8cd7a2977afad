namespace Quiver.Server.Operations;

/// <summary>
/// How far the start-up load of the store's collections and their indexes has got, so that /readyz turns ready only
/// once a first search no longer pays for loading an index.
/// </summary>
internal sealed class StoreReadiness
{
    private int _total = -1;
    private int _loaded;

    /// <summary>Whether every collection found at start has been opened and its index loaded (or its failure logged).</summary>
    public bool Loaded => Volatile.Read(ref _total) >= 0 && Volatile.Read(ref _loaded) >= Volatile.Read(ref _total);

    /// <summary>What is still loading, in words without paths (the probe needs no key).</summary>
    public string Pending => Volatile.Read(ref _total) < 0
        ? "the store's collections have not been listed yet"
        : $"loading collection indexes ({Volatile.Read(ref _loaded)} of {Volatile.Read(ref _total)} loaded)";

    public void Start(int collections) => Volatile.Write(ref _total, collections);

    public void Advance() => Interlocked.Increment(ref _loaded);
}
