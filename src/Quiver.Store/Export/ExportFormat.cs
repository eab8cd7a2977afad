namespace Quiver.Store.Export;

/// <summary>The file formats a collection can be exported to.</summary>
public enum ExportFormat
{
    /// <summary>One JSON object per line: id, vector, payload and text.</summary>
    Jsonl,

    /// <summary>A float32 NumPy matrix (one row per point) and a <c>.points.jsonl</c> file beside it with each row's id, payload and text.</summary>
    Npy,

    /// <summary>An Apache Parquet file: id (string), vector (list of float), payload (JSON string) and text columns.</summary>
    Parquet,
}
