namespace Quiver.Core;

/// <summary>
/// A file Quiver wrote itself (a model's manifest, a collection's database, a classifier's weights, a checkpoint or
/// cache) is damaged or no longer matches what recorded it. The caller did nothing wrong, so a server answers it as
/// its own fault (5xx), unlike the other <see cref="QuiverException"/>s. The message names the file and the fix.
/// </summary>
public sealed class StoredDataException : QuiverException
{
    public StoredDataException(string path, string message)
        : base(message) => Path = path;

    public StoredDataException(string path, string message, Exception innerException)
        : base(message, innerException) => Path = path;

    /// <summary>The damaged file (or folder).</summary>
    public string Path { get; }
}
