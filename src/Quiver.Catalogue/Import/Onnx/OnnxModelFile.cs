namespace Quiver.Catalogue.Import.Onnx;

/// <summary>Writes a built ONNX model so that a failed or interrupted write never leaves a truncated model behind.</summary>
internal static class OnnxModelFile
{
    public static void Write(string path, byte[] model)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var temporary = path + ".partial";
        File.WriteAllBytes(temporary, model);
        File.Move(temporary, path, overwrite: true);
    }
}
