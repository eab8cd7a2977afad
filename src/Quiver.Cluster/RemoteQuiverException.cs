namespace Quiver.Cluster;

/// <summary>
/// A refusal raised in a silo (bad input, a missing collection) carried back to the caller: Orleans serialises only
/// the exception types it has codecs for, so the silo's error travels as this, with its message and original type,
/// and <see cref="DistributedCollection"/> raises it again as a <see cref="Core.QuiverException"/>.
/// </summary>
[GenerateSerializer]
public sealed class RemoteQuiverException : Exception
{
    public RemoteQuiverException()
    {
    }

    public RemoteQuiverException(string message) : base(message)
    {
    }

    public RemoteQuiverException(string message, Exception inner) : base(message, inner)
    {
    }

    public RemoteQuiverException(string message, string originalType) : base(message) => OriginalType = originalType;

    /// <summary>The exception type the silo raised.</summary>
    [Id(0)]
    public string? OriginalType { get; init; }

    /// <summary>The damaged file, when the silo raised a <see cref="Core.StoredDataException"/>.</summary>
    [Id(1)]
    public string? StoredPath { get; init; }
}
