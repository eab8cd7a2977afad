using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Quiver.Models.Static;

namespace Quiver.Catalogue.Import;

/// <summary>Writes word vectors in the formats the original word2vec tool and GloVe read.</summary>
public static class WordVectorWriter
{
    /// <summary>word2vec text: a "count dimensions" header (omit it for GloVe text), then one word and its numbers per line.</summary>
    public static void WriteText(string path, WordVectors vectors, bool header = true)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
        if (header)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{vectors.Count} {vectors.Dimensions}\n"));
        }

        for (var i = 0; i < vectors.Count; i++)
        {
            writer.Write(vectors.Words[i]);
            foreach (var value in vectors.Vector(i))
            {
                writer.Write(' ');
                writer.Write(value.ToString("R", CultureInfo.InvariantCulture));
            }

            writer.Write('\n');
        }
    }

    /// <summary>word2vec binary, as the C tool writes it with -binary 1.</summary>
    public static void WriteWord2VecBinary(string path, WordVectors vectors)
    {
        using var stream = new BufferedStream(File.Create(path), 1 << 20);
        stream.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{vectors.Count} {vectors.Dimensions}\n")));
        Span<byte> value = stackalloc byte[sizeof(float)];
        for (var i = 0; i < vectors.Count; i++)
        {
            stream.Write(Encoding.UTF8.GetBytes(vectors.Words[i]));
            stream.WriteByte((byte)' ');
            foreach (var v in vectors.Vector(i))
            {
                BinaryPrimitives.WriteSingleLittleEndian(value, v);
                stream.Write(value);
            }

            stream.WriteByte((byte)'\n');
        }
    }
}
