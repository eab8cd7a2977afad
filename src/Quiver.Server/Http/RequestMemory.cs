namespace Quiver.Server.Http;

/// <summary>
/// The memory request bodies may take at once, in two budgets so that waiting cannot deadlock: <see cref="Buffers"/>
/// (<see cref="ServerLimits.MaxBodyMemoryBytes"/>) for the bytes as they arrive, <see cref="Fields"/>
/// (<see cref="ServerLimits.MaxParsedMemoryBytes"/>) for the fields routes parse from them. A request that holds a
/// buffer may wait for field memory, and the requests holding field memory wait for nothing, so they finish and free it.
/// </summary>
internal sealed class RequestMemory(ServerLimits limits) : IDisposable
{
    public MemoryBudget Buffers { get; } = new(limits.MaxBodyMemoryBytes);

    public MemoryBudget Fields { get; } = new(limits.MaxParsedMemoryBytes);

    public void Dispose()
    {
        Buffers.Dispose();
        Fields.Dispose();
    }
}
