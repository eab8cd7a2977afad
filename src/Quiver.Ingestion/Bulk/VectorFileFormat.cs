namespace Quiver.Ingestion.Bulk;

/// <summary>The file a bulk embedding job writes its vectors to.</summary>
public enum VectorFileFormat
{
    /// <summary>One JSON object per input record, in input order: <c>{"index":0,"id":...,"vector":[...]}</c> (.jsonl).</summary>
    Jsonl,

    /// <summary>A NumPy array, float32 little-endian, shape (records, dimensions), row i the vector of record i (.npy).</summary>
    Npy,
}
