using Quiver.Core;

namespace Quiver.Models.Remote;

/// <summary>
/// A remote embeddings endpoint could not be reached, refused the request, or answered something that is not the
/// vectors asked for. The message names the endpoint, the model and what came back.
/// </summary>
public sealed class RemoteEmbeddingException : QuiverException
{
    public RemoteEmbeddingException(string message, int status)
        : base(message)
    {
        Status = status;
    }

    public RemoteEmbeddingException(string message, int status, Exception innerException)
        : base(message, innerException)
    {
        Status = status;
    }

    /// <summary>The HTTP status the endpoint answered with; 0 when it gave none (unreachable, or a malformed answer).</summary>
    public int Status { get; }
}
