using System.Runtime.InteropServices;

namespace Quiver.Bench;

/// <summary>The texmex .fvecs/.ivecs formats (per row: int32 dimension, then the values), used by ann-benchmarks and FAISS.</summary>
internal static class VectorFiles
{
    public static (float[] Rows, int Dimensions) ReadFvecs(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var d = BitConverter.ToInt32(bytes, 0);
        var rowBytes = 4 + (4 * d);
        var n = bytes.Length / rowBytes;
        var rows = new float[n * d];
        for (var i = 0; i < n; i++)
        {
            MemoryMarshal.Cast<byte, float>(bytes.AsSpan((i * rowBytes) + 4, 4 * d)).CopyTo(rows.AsSpan(i * d, d));
        }

        return (rows, d);
    }

    public static int[][] ReadIvecs(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var rows = new List<int[]>();
        for (var offset = 0; offset < bytes.Length;)
        {
            var d = BitConverter.ToInt32(bytes, offset);
            rows.Add(MemoryMarshal.Cast<byte, int>(bytes.AsSpan(offset + 4, 4 * d)).ToArray());
            offset += 4 + (4 * d);
        }

        return [.. rows];
    }

    public static void WriteFvecs(string path, ReadOnlySpan<float> rows, int d)
    {
        using var file = File.Create(path);
        for (var i = 0; i < rows.Length / d; i++)
        {
            file.Write(BitConverter.GetBytes(d));
            file.Write(MemoryMarshal.AsBytes(rows.Slice(i * d, d)));
        }
    }

    public static void WriteIvecs(string path, int[][] rows)
    {
        using var file = File.Create(path);
        foreach (var row in rows)
        {
            file.Write(BitConverter.GetBytes(row.Length));
            file.Write(MemoryMarshal.AsBytes(row.AsSpan()));
        }
    }
}
