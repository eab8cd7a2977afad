using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Quiver.Core;

namespace Quiver.Models.Static;

/// <summary>
/// Quiver's compact word-vector file: a small header, the vocabulary, then the float32 table in one block, so a
/// load is two bulk reads and no parsing of numbers.
/// </summary>
/// <remarks>
/// Layout (little-endian): "QVEC", u32 version (1), u32 word count, u32 dimensions, u64 byte length of the
/// vocabulary block; the vocabulary block (per word: u16 UTF-8 byte length, the bytes); the table
/// (count × dimensions float32, row-major).
/// </remarks>
public static class WordVectorFile
{
    public const string Extension = ".qvec";
    private static ReadOnlySpan<byte> Magic => "QVEC"u8;
    private const uint Version = 1;
    private const int HeaderSize = 24;

    public static void Write(string path, WordVectors vectors)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Quiver's word-vector files are little-endian; this machine is big-endian.");
        }

        var vocabulary = new MemoryStream();
        Span<byte> length = stackalloc byte[2];
        foreach (var word in vectors.Words)
        {
            var bytes = Encoding.UTF8.GetBytes(word);
            if (bytes.Length > ushort.MaxValue)
            {
                throw new QuiverException($"A word of {bytes.Length} bytes cannot be stored (the limit is {ushort.MaxValue}); it starts '{word[..40]}'.");
            }

            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)bytes.Length);
            vocabulary.Write(length);
            vocabulary.Write(bytes);
        }

        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            Span<byte> header = stackalloc byte[HeaderSize];
            Magic.CopyTo(header);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Version);
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)vectors.Count);
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)vectors.Dimensions);
            BinaryPrimitives.WriteUInt64LittleEndian(header[16..], (ulong)vocabulary.Length);
            file.Write(header);
            vocabulary.Position = 0;
            vocabulary.CopyTo(file);
            file.Write(MemoryMarshal.AsBytes(vectors.Table));
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    public static WordVectors Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> header = stackalloc byte[HeaderSize];
        if (file.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize || !header[..4].SequenceEqual(Magic))
        {
            throw Corrupt(path, "it does not start with a Quiver word-vector header");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (version != Version)
        {
            throw Corrupt(path, $"it has format version {version}, and this Quiver reads version {Version}");
        }

        var count = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        var dimensions = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        var vocabularyLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        var expected = HeaderSize + vocabularyLength + ((long)count * dimensions * sizeof(float));
        if (dimensions <= 0 || count < 0 || file.Length != expected)
        {
            throw Corrupt(path, $"its size is {file.Length} bytes where the header implies {expected}");
        }

        var vocabulary = new byte[vocabularyLength];
        file.ReadExactly(vocabulary);
        var words = new string[count];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            if (offset + 2 > vocabulary.Length)
            {
                throw Corrupt(path, $"the vocabulary block ends before word {i}");
            }

            int n = BinaryPrimitives.ReadUInt16LittleEndian(vocabulary.AsSpan(offset));
            offset += 2;
            if (offset + n > vocabulary.Length)
            {
                throw Corrupt(path, $"word {i} runs past the vocabulary block");
            }

            words[i] = Encoding.UTF8.GetString(vocabulary, offset, n);
            offset += n;
        }

        var table = GC.AllocateUninitializedArray<float>(count * dimensions);
        file.ReadExactly(MemoryMarshal.AsBytes(table.AsSpan()));
        return new WordVectors(words, table, dimensions);
    }

    private static QuiverException Corrupt(string path, string why) =>
        new($"'{path}' is not a valid Quiver word-vector file: {why}. Reinstall the model (quiver models install <name> --force).");
}
