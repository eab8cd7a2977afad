using Microsoft.AspNetCore.Builder;

namespace Quiver.Server.Security;

/// <summary>Endpoint metadata: the route changes stored data, so a read-only key is refused.</summary>
internal sealed class WriteAccess
{
    public static readonly WriteAccess Instance = new();
}

internal static class WriteAccessExtensions
{
    public static TBuilder RequiresWrite<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(WriteAccess.Instance);
}
