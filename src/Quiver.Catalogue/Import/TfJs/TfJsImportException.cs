using Quiver.Core;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>
/// A TensorFlow.js model (graph or layers) that cannot be imported: a missing or short weight file, a value the format
/// does not allow, or an operation or layer the importer does not map, named with the node or layer (and file) it came
/// from.
/// </summary>
public sealed class TfJsImportException : QuiverException
{
    public TfJsImportException(string message)
        : base(message)
    {
    }

    public TfJsImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
