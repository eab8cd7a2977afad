using Quiver.Core;

namespace Quiver.Catalogue.Import;

/// <summary>A word-vector file that does not follow its format, with the file, the place and what was expected.</summary>
public sealed class WordVectorFormatException : QuiverException
{
    public WordVectorFormatException(string message)
        : base(message)
    {
    }

    public WordVectorFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
