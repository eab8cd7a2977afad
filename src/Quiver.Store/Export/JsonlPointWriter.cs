using System.Text.Json;
using Quiver.Store.Collections;

namespace Quiver.Store.Export;

/// <summary>Writes one JSON object per point and line: <c>{"id":…,"vector":[…],"payload":{…},"text":…}</c>.</summary>
internal sealed class JsonlPointWriter(string path) : IPointWriter
{
    private readonly StagedFile _file = new(path);

    public IReadOnlyList<string> Files => [path];

    public async Task Write(IReadOnlyList<Point> batch, CancellationToken cancellationToken)
    {
        using (var json = new Utf8JsonWriter(_file.Stream, new JsonWriterOptions { SkipValidation = true }))
        {
            foreach (var point in batch)
            {
                PointJson.Write(json, point, withVector: true);
                await json.FlushAsync(cancellationToken);
                _file.Stream.WriteByte((byte)'\n');
                json.Reset();
            }
        }
    }

    public Task Complete(CancellationToken cancellationToken)
    {
        _file.Commit();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _file.Dispose();
        return ValueTask.CompletedTask;
    }
}
