using System.Text.Json;
using Quiver.Core.Npy;
using Quiver.Store.Collections;

namespace Quiver.Store.Export;

/// <summary>
/// Writes the vectors as a float32 .npy matrix (row i is the i-th point) and, beside it, <c>NAME.points.jsonl</c> with
/// each row's number, id, payload and text, so the matrix loads straight into NumPy and the rows can be matched back.
/// </summary>
internal sealed class NpyPointWriter : IPointWriter
{
    private readonly string _path;
    private readonly string _temporaryPath;
    private readonly NpyMatrixWriter _matrix;
    private readonly StagedFile _points;
    private bool _committed;

    public NpyPointWriter(string path, int dimensions)
    {
        _path = path;
        _temporaryPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.partial");
        _points = new StagedFile(PointsPath(path));
        _matrix = NpyMatrixWriter.Create(_temporaryPath, dimensions);
    }

    public IReadOnlyList<string> Files => [_path, _points.Target];

    /// <summary>The points file written beside <paramref name="npyPath"/>: <c>docs.npy</c> → <c>docs.points.jsonl</c>.</summary>
    public static string PointsPath(string npyPath) => Path.ChangeExtension(npyPath, null) + ".points.jsonl";

    public async Task Write(IReadOnlyList<Point> batch, CancellationToken cancellationToken)
    {
        using var json = new Utf8JsonWriter(_points.Stream, new JsonWriterOptions { SkipValidation = true });
        foreach (var point in batch)
        {
            var row = _matrix.Rows;
            _matrix.Write(point.Vector);
            PointJson.Write(json, point, withVector: false, row);
            await json.FlushAsync(cancellationToken);
            _points.Stream.WriteByte((byte)'\n');
            json.Reset();
        }
    }

    public Task Complete(CancellationToken cancellationToken)
    {
        _matrix.Flush();
        _matrix.Dispose();
        _points.Commit();
        File.Move(_temporaryPath, _path, overwrite: true);
        _committed = true;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _points.Dispose();
        if (!_committed)
        {
            try
            {
                _matrix.Dispose();
            }
            finally
            {
                File.Delete(_temporaryPath);
            }
        }

        return ValueTask.CompletedTask;
    }
}
