using System.Text;
using Quiver.Catalogue.Import;
using Quiver.Training.Words;

namespace Quiver.Training.Tests;

public sealed class WordVectorFormatTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("quiver-w2vfmt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Trained_vectors_survive_the_binary_format_bit_for_bit_and_the_text_format_exactly()
    {
        var trained = Word2VecTrainer.Train(
            new ListCorpus(SyntheticText.Topics(2, 8, 200, 6, seed: 1)),
            new Word2VecOptions { Dimensions = 7, MinCount = 1, Epochs = 1, Threads = 1 }).Vectors;
        var binary = Path.Combine(_folder, "v.bin");
        var text = Path.Combine(_folder, "v.txt");

        WordVectorWriter.WriteWord2VecBinary(binary, trained);
        WordVectorWriter.WriteText(text, trained);

        Assert.Equal(WordVectorFormat.Word2VecBinary, WordVectorReader.Detect(binary));
        foreach (var read in new[] { WordVectorReader.Read(binary), WordVectorReader.Read(text) })
        {
            Assert.Equal(trained.Words, read.Words);
            Assert.Equal(trained.Table.ToArray(), read.Table.ToArray());
        }
    }

    [Fact]
    public void The_binary_file_is_byte_for_byte_what_the_c_tool_writes()
    {
        var vectors = new Quiver.Models.Static.WordVectors(["</s>", "héllo"], [0.5f, -1f, 2f, 0.25f], 2);
        var path = Path.Combine(_folder, "c.bin");

        WordVectorWriter.WriteWord2VecBinary(path, vectors);

        // word2vec.c: fprintf("%lld %lld\n"), then per word fprintf("%s "), fwrite(float32 × size), fprintf("\n").
        Assert.Equal(CFormatBinary(), File.ReadAllBytes(path));
    }

    [Fact]
    public void Files_in_the_c_tools_exact_binary_and_text_layout_are_read()
    {
        var binary = Path.Combine(_folder, "c.bin");
        File.WriteAllBytes(binary, CFormatBinary());

        // word2vec.c's text output: "%s " then "%lf " per value (a trailing space), then "\n".
        var text = Path.Combine(_folder, "c.txt");
        File.WriteAllText(text, "2 2\n</s> 0.500000 -1.000000 \nhéllo 2.000000 0.250000 \n", new UTF8Encoding(false));

        foreach (var read in new[] { WordVectorReader.Read(binary), WordVectorReader.Read(text) })
        {
            Assert.Equal(["</s>", "héllo"], read.Words);
            Assert.Equal([0.5f, -1f, 2f, 0.25f], read.Table.ToArray());
        }
    }

    private static byte[] CFormatBinary()
    {
        var bytes = new List<byte>();
        bytes.AddRange("2 2\n"u8.ToArray());
        bytes.AddRange("</s> "u8.ToArray());
        bytes.AddRange(BitConverter.GetBytes(0.5f));
        bytes.AddRange(BitConverter.GetBytes(-1f));
        bytes.Add((byte)'\n');
        bytes.AddRange(Encoding.UTF8.GetBytes("héllo "));
        bytes.AddRange(BitConverter.GetBytes(2f));
        bytes.AddRange(BitConverter.GetBytes(0.25f));
        bytes.Add((byte)'\n');
        return [.. bytes];
    }
}
