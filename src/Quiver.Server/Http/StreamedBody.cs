using Microsoft.AspNetCore.Builder;

namespace Quiver.Server.Http;

/// <summary>
/// Endpoint metadata: the route streams its body to disk itself (a snapshot upload), so <see cref="BodyArrival"/> does
/// not buffer it in the body memory budget. Such a route bounds the body by <see cref="ServerLimits.MaxSnapshotBytes"/>
/// and Kestrel's minimum data rate instead.
/// </summary>
internal sealed class StreamedBody
{
    public static readonly StreamedBody Instance = new();
}

internal static class StreamedBodyExtensions
{
    public static TBuilder StreamsBody<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(StreamedBody.Instance);
}
