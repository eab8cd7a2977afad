using System.Text.Json;
using Quiver.Core.Npy;

namespace Quiver.Ingestion.Bulk;

/// <summary>Row i of a float32 .npy matrix is the vector of record i; ids have no place in it.</summary>
internal sealed class NpyVectorSink(NpyMatrixWriter writer) : IVectorSink
{
    public long Length => writer.Length;

    public void Write(long index, JsonElement? id, ReadOnlySpan<float> vector) => writer.Write(vector);

    public void Flush() => writer.Flush();

    public void Dispose() => writer.Dispose();
}
