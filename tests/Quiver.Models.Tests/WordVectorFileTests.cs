using System.Buffers.Binary;
using Quiver.Core;
using Quiver.Models.Static;

namespace Quiver.Models.Tests;

public sealed class WordVectorFileTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Round_trip_keeps_words_and_bits_exactly()
    {
        string[] words = ["the", "café", "naïve", "Привет", "東京", "😀emoji", "new york", string.Empty, "tab\there"];
        float[] special = [0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1e-40f, 0.1f, -123.456f];
        var random = new Random(11);
        var table = new float[words.Length * 5];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = i < special.Length ? special[i] : (float)TestVectors.Gaussian(random);
        }

        var path = _folder.File("v.qvec");
        WordVectorFile.Write(path, new WordVectors(words, table, 5));
        var read = WordVectorFile.Read(path);

        Assert.Equal(words, read.Words);
        Assert.Equal(5, read.Dimensions);
        Assert.Equal(
            table.Select(BitConverter.SingleToInt32Bits),
            read.Table.ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(1, read.RankOf("café"));
    }

    [Fact]
    public void Round_trip_of_random_vocabularies_is_exact()
    {
        var random = new Random(12);
        for (var trial = 0; trial < 20; trial++)
        {
            var count = random.Next(0, 40);
            var dimensions = random.Next(1, 9);
            var words = Enumerable.Range(0, count).Select(_ => RandomWord(random)).ToArray();
            var table = Enumerable.Range(0, count * dimensions).Select(_ => (float)(TestVectors.Gaussian(random) * 1e3)).ToArray();
            var path = _folder.File($"r{trial}.qvec");
            WordVectorFile.Write(path, new WordVectors(words, table, dimensions));
            var read = WordVectorFile.Read(path);
            Assert.Equal(words, read.Words);
            Assert.Equal(dimensions, read.Dimensions);
            Assert.Equal(table, read.Table.ToArray());
        }
    }

    [Fact]
    public void Write_leaves_no_temporary_file_and_replaces_an_existing_file()
    {
        var path = _folder.File("v.qvec");
        WordVectorFile.Write(path, TestVectors.Random(3, 2, seed: 1));
        WordVectorFile.Write(path, TestVectors.Random(4, 2, seed: 2, prefix: "x"));
        Assert.Equal(["v.qvec"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
        Assert.Equal("x3", WordVectorFile.Read(path).Words[3]);
    }

    [Fact]
    public void File_with_the_wrong_magic_is_refused_naming_it()
    {
        var path = WriteValid();
        var bytes = File.ReadAllBytes(path);
        bytes[0] = (byte)'X';
        File.WriteAllBytes(path, bytes);
        AssertRefused(path, "header");
    }

    [Fact]
    public void Text_file_is_refused_naming_it()
    {
        var path = _folder.File("glove.qvec");
        File.WriteAllText(path, "the 0.1 0.2 0.3\nof 0.4 0.5 0.6\n");
        AssertRefused(path, "header");
    }

    [Fact]
    public void File_shorter_than_the_header_is_refused_naming_it()
    {
        var path = _folder.File("short.qvec");
        File.WriteAllBytes(path, "QVEC\u0001"u8.ToArray());
        AssertRefused(path, "header");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(30)]
    public void Truncated_file_is_refused_naming_it(int missingBytes)
    {
        var path = WriteValid();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^missingBytes]);
        AssertRefused(path, "size");
    }

    [Fact]
    public void File_with_trailing_bytes_is_refused()
    {
        var path = WriteValid();
        File.AppendAllText(path, "junk");
        AssertRefused(path, "size");
    }

    [Fact]
    public void File_of_another_version_is_refused_naming_the_version()
    {
        var path = WriteValid();
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 2);
        File.WriteAllBytes(path, bytes);
        var e = AssertRefused(path, "version 2");
        Assert.Contains("version 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Word_length_running_past_the_vocabulary_block_is_refused()
    {
        var path = WriteValid();
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(24), 60_000);
        File.WriteAllBytes(path, bytes);
        AssertRefused(path, "word 0");
    }

    [Fact]
    public void Header_with_a_word_count_larger_than_the_file_holds_is_refused()
    {
        var path = WriteValid();
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 4);
        File.WriteAllBytes(path, bytes);
        AssertRefused(path, "size");
    }

    private static string RandomWord(Random random)
    {
        const string alphabet = "abcxyzéüßжя東京-' ";
        var length = random.Next(1, 12);
        return new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }

    private string WriteValid()
    {
        var path = _folder.File("valid.qvec");
        WordVectorFile.Write(path, TestVectors.Random(3, 4, seed: 9));
        Assert.Equal(3, WordVectorFile.Read(path).Count);
        return path;
    }

    private static QuiverException AssertRefused(string path, string why)
    {
        var e = Assert.Throws<QuiverException>(() => WordVectorFile.Read(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        return e;
    }
}
