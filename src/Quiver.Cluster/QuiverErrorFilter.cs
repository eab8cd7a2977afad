using Quiver.Core;

namespace Quiver.Cluster;

/// <summary>Turns a Quiver refusal inside a grain call into a <see cref="RemoteQuiverException"/> that can cross the wire.</summary>
internal sealed class QuiverErrorFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (e is QuiverException or ArgumentException)
        {
            throw new RemoteQuiverException(e.Message, e.GetType().FullName!) { StoredPath = (e as StoredDataException)?.Path };
        }
    }
}
