namespace Quiver.Store.Export;

/// <summary>
/// A file written under a temporary name beside its target and renamed into place when complete; disposed before
/// that, it deletes the temporary file, so the target is either the previous file or the whole new one.
/// </summary>
internal sealed class StagedFile : IDisposable
{
    private bool _committed;

    public StagedFile(string target)
    {
        Target = target;
        TemporaryPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target))!, $".{Path.GetFileName(target)}.{Environment.ProcessId}.partial");
        Stream = new FileStream(TemporaryPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
    }

    public string Target { get; }

    public string TemporaryPath { get; }

    public FileStream Stream { get; }

    /// <summary>Flushes the file to disk and renames it over the target.</summary>
    public void Commit()
    {
        if (Stream.CanWrite)
        {
            Stream.Flush(flushToDisk: true);
            Stream.Dispose();
        }
        else
        {
            // A writer that owns the stream (Parquet's) closed it; fsync through a new handle, which syncs the file.
            using var reopened = new FileStream(TemporaryPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            reopened.Flush(flushToDisk: true);
        }

        File.Move(TemporaryPath, Target, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        Stream.Dispose();
        if (!_committed)
        {
            File.Delete(TemporaryPath);
        }
    }
}
