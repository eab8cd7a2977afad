using System.Text.Json;

namespace Quiver.Ingestion.Bulk;

/// <summary>Where a bulk embedding job writes its vectors, one per record, in record order.</summary>
internal interface IVectorSink : IDisposable
{
    /// <summary>Bytes the file holds once the vectors written so far are flushed.</summary>
    long Length { get; }

    void Write(long index, JsonElement? id, ReadOnlySpan<float> vector);

    /// <summary>Makes everything written so far durable, so that a checkpoint may count it.</summary>
    void Flush();
}
