using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Quiver.Core;

namespace Quiver.Models.Static;

/// <summary>
/// fastText's character n-gram vectors: a word is wrapped in &lt; and &gt;, its n-grams of
/// <see cref="MinN"/>..<see cref="MaxN"/> characters are hashed (32-bit FNV-1a over UTF-8 bytes, as fastText hashes)
/// into <see cref="Buckets"/> rows, and a word's vector is the mean of its own row (when it has one) and its n-gram
/// rows, so words never seen in training (misspellings, rare forms) still get a vector.
/// </summary>
/// <remarks>
/// File layout (little-endian): "QSUB", u32 version (1), u32 min n, u32 max n, u32 buckets, u32 dimensions, then
/// buckets × dimensions float32, row-major.
/// </remarks>
public sealed class SubwordTable
{
    public const string FileName = "subwords.qsub";
    private const uint Version = 1;
    private const int HeaderSize = 24;
    private static ReadOnlySpan<byte> Magic => "QSUB"u8;

    private readonly float[] _rows;

    public SubwordTable(int minN, int maxN, int buckets, int dimensions, float[] rows)
    {
        if (minN < 1 || maxN < minN)
        {
            throw new ArgumentException($"N-gram lengths must satisfy 1 <= min <= max (got {minN}..{maxN}).", nameof(minN));
        }

        if (buckets < 1 || dimensions < 1 || rows.Length != (long)buckets * dimensions)
        {
            throw new ArgumentException($"{buckets} buckets of {dimensions} dimensions need {(long)buckets * dimensions} floats, got {rows.Length}.", nameof(rows));
        }

        MinN = minN;
        MaxN = maxN;
        Buckets = buckets;
        Dimensions = dimensions;
        _rows = rows;
    }

    public int MinN { get; }

    public int MaxN { get; }

    public int Buckets { get; }

    public int Dimensions { get; }

    public ReadOnlySpan<float> Rows => _rows;

    /// <summary>fastText's hash: FNV-1a over the bytes, each byte sign-extended first (fastText hashes <c>int8_t</c> values).</summary>
    public static uint Hash(ReadOnlySpan<byte> utf8)
    {
        var h = 2166136261u;
        foreach (var b in utf8)
        {
            h ^= (uint)(sbyte)b;
            h *= 16777619;
        }

        return h;
    }

    /// <summary>
    /// The buckets of a word's n-grams, as fastText's computeSubwords lists them: over the UTF-8 bytes of
    /// "&lt;word&gt;", n counted in characters, skipping the lone boundary characters.
    /// </summary>
    public static void NGramBuckets(string word, int minN, int maxN, int buckets, List<int> into)
    {
        var bytes = Encoding.UTF8.GetBytes("<" + word + ">");
        for (var i = 0; i < bytes.Length; i++)
        {
            if ((bytes[i] & 0xC0) == 0x80)
            {
                continue;
            }

            var j = i;
            for (var n = 1; j < bytes.Length && n <= maxN; n++)
            {
                j++;
                while (j < bytes.Length && (bytes[j] & 0xC0) == 0x80)
                {
                    j++;
                }

                if (n >= minN && !(n == 1 && (i == 0 || j == bytes.Length)))
                {
                    into.Add((int)(Hash(bytes.AsSpan(i, j - i)) % (uint)buckets));
                }
            }
        }
    }

    /// <summary>The vector of a word from its n-grams alone (a word outside the vocabulary); false when it has none.</summary>
    public bool TryCompose(string word, Span<float> vector)
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"The vector has {vector.Length} dimensions but the table has {Dimensions}.", nameof(vector));
        }

        var buckets = new List<int>();
        NGramBuckets(word, MinN, MaxN, Buckets, buckets);
        vector.Clear();
        if (buckets.Count == 0)
        {
            return false;
        }

        foreach (var b in buckets)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(vector, _rows.AsSpan(b * Dimensions, Dimensions), vector);
        }

        System.Numerics.Tensors.TensorPrimitives.Divide(vector, buckets.Count, vector);
        return true;
    }

    public void Write(string path)
    {
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            Span<byte> header = stackalloc byte[HeaderSize];
            Magic.CopyTo(header);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Version);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)MinN);
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)MaxN);
            BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)Buckets);
            BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)Dimensions);
            file.Write(header);
            file.Write(MemoryMarshal.AsBytes(_rows.AsSpan()));
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    public static SubwordTable Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> header = stackalloc byte[HeaderSize];
        if (file.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize || !header[..4].SequenceEqual(Magic))
        {
            throw Corrupt(path, "it does not start with a Quiver subword header");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (version != Version)
        {
            throw Corrupt(path, $"it has format version {version}, and this Quiver reads version {Version}");
        }

        var minN = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        var maxN = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        var buckets = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
        var dimensions = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
        var expected = HeaderSize + ((long)buckets * dimensions * sizeof(float));
        if (buckets < 1 || dimensions < 1 || file.Length != expected)
        {
            throw Corrupt(path, $"its size is {file.Length} bytes where the header implies {expected}");
        }

        var rows = GC.AllocateUninitializedArray<float>(buckets * dimensions);
        file.ReadExactly(MemoryMarshal.AsBytes(rows.AsSpan()));
        return new SubwordTable(minN, maxN, buckets, dimensions, rows);
    }

    private static QuiverException Corrupt(string path, string why) =>
        new($"'{path}' is not a valid Quiver subword file: {why}. Train the model again (quiver train fasttext ... --force).");
}
