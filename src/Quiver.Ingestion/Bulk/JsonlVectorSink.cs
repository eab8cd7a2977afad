using System.Buffers;
using System.Text.Json;
using Quiver.Core;

namespace Quiver.Ingestion.Bulk;

/// <summary>One line per vector: <c>{"index":0,"id":...,"vector":[...]}</c>, floats in their shortest round-trip form.</summary>
internal sealed class JsonlVectorSink : IVectorSink
{
    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _line = new();
    private readonly Utf8JsonWriter _json;

    private JsonlVectorSink(FileStream stream)
    {
        _stream = stream;
        _json = new Utf8JsonWriter(_line);
    }

    public long Length => _stream.Position;

    public static JsonlVectorSink Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16));

    /// <summary>Continues <paramref name="path"/> after its first <paramref name="length"/> bytes, cutting off whatever follows them.</summary>
    public static JsonlVectorSink Append(string path, long length)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        if (stream.Length < length)
        {
            var actual = stream.Length;
            stream.Dispose();
            throw new QuiverException($"'{path}' is {actual:N0} bytes, shorter than the {length:N0} its checkpoint counts; it was cut or changed. Start over (--force).");
        }

        stream.SetLength(length);
        stream.Position = length;
        return new JsonlVectorSink(stream);
    }

    public void Write(long index, JsonElement? id, ReadOnlySpan<float> vector)
    {
        _line.ResetWrittenCount();
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteNumber("index", index);
        if (id is { } value)
        {
            _json.WritePropertyName("id");
            value.WriteTo(_json);
        }

        _json.WriteStartArray("vector");
        foreach (var x in vector)
        {
            _json.WriteNumberValue(x);
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        _stream.Write(_line.WrittenSpan);
        _stream.WriteByte((byte)'\n');
    }

    public void Flush() => _stream.Flush(flushToDisk: true);

    public void Dispose()
    {
        _json.Dispose();
        _stream.Dispose();
    }
}
