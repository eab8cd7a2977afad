using Quiver.Core;

namespace Quiver.Ingestion;

/// <summary>A file that cannot be read as its format; the folder indexer skips it and reports the reason.</summary>
public sealed class DocumentFormatException : QuiverException
{
    public DocumentFormatException(string message)
        : base(message)
    {
    }

    public DocumentFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
