namespace Quiver.Core.Distances;

/// <summary>A vector that cannot be used as given: wrong length, NaN or infinite components, or zero length.</summary>
public sealed class InvalidVectorException : QuiverException
{
    public InvalidVectorException(string message)
        : base(message)
    {
    }

    public InvalidVectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
