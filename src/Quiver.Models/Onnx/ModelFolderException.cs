using Quiver.Core;

namespace Quiver.Models.Onnx;

/// <summary>A model folder with a missing, unreadable or inconsistent file: the message names the file and what was expected.</summary>
public sealed class ModelFolderException : QuiverException
{
    public ModelFolderException(string file, string problem)
        : base($"{file}: {problem}")
    {
        File = file;
    }

    public ModelFolderException(string file, string problem, Exception innerException)
        : base($"{file}: {problem}", innerException)
    {
        File = file;
    }

    /// <summary>The file (or folder) at fault.</summary>
    public string File { get; }
}
