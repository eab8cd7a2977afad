using Microsoft.AspNetCore.Http;

namespace Quiver.Server.Http;

/// <summary>Which API a route imitates, and so the shape of its error bodies.</summary>
internal enum ApiStyle
{
    /// <summary>OpenAI: {"error": {"message", "type", "param", "code"}}.</summary>
    OpenAi,

    /// <summary>Qdrant: {"status": {"error": "..."}, "time": seconds}.</summary>
    Qdrant,
}

internal static class ApiStyles
{
    public static ApiStyle For(PathString path) =>
        path.StartsWithSegments("/v1", StringComparison.Ordinal) ? ApiStyle.OpenAi : ApiStyle.Qdrant;
}
