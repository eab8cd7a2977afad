using System.Buffers.Binary;
using System.Text;
using Quiver.Catalogue.Import;
using Quiver.Models.Static;

namespace Quiver.Models.Tests;

public sealed class WordVectorReaderTests : IDisposable
{
    private const string WinkJson = """
        {"precision":8,"l2NormIndex":3,"wordIndex":4,"size":2,"dimensions":3,"words":["a","b"],
         "vectors":{"b":[0.5,-1.25,2,2.4,1],"a":[1,2,3,3.7416575,0]},"unkVector":[0,0,0]}
        """;

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Word2vec_text_with_header_is_read()
    {
        var path = Write("w2v.txt", "3 2\nthe 0.5 -1\nof 1e-3 2.5E2\ncafé -0 3\n");
        var vectors = WordVectorReader.Read(path);
        Assert.Equal(["the", "of", "café"], vectors.Words);
        Assert.Equal(2, vectors.Dimensions);
        Assert.Equal([0.5f, -1f, 1e-3f, 250f, -0f, 3f], vectors.Table.ToArray());
    }

    [Fact]
    public void Glove_text_without_header_is_read()
    {
        var path = Write("glove.txt", "the 0.1 0.2 0.3\n, 0.4 0.5 0.6\n\nnaïve -1 -2 -3\n");
        var vectors = WordVectorReader.Read(path);
        Assert.Equal(["the", ",", "naïve"], vectors.Words);
        Assert.Equal(3, vectors.Dimensions);
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, -1f, -2f, -3f], vectors.Table.ToArray());
    }

    [Fact]
    public void Text_with_windows_line_endings_and_trailing_spaces_is_read()
    {
        var path = Write("crlf.txt", "2 2\r\na 1 2 \r\nb 3 4\r\n");
        var vectors = WordVectorReader.ReadText(path);
        Assert.Equal(["a", "b"], vectors.Words);
        Assert.Equal([1f, 2f, 3f, 4f], vectors.Table.ToArray());
    }

    [Fact]
    public void Glove_word_with_spaces_keeps_them_because_the_last_fields_are_the_numbers()
    {
        var path = Write("spaces.txt", "cat 1 2 3\nnew york 4 5 6\nat & t 7 8 9\n");
        var vectors = WordVectorReader.ReadText(path);
        Assert.Equal(["cat", "new york", "at & t"], vectors.Words);
        Assert.Equal([4f, 5f, 6f], vectors.Vector("new york").ToArray());
    }

    [Fact]
    public void Word2vec_text_header_gives_the_dimension_even_when_the_first_word_has_a_space()
    {
        var path = Write("spaces-header.txt", "2 2\nnew york 1 2\ncat 3 4\n");
        var vectors = WordVectorReader.ReadText(path);
        Assert.Equal(["new york", "cat"], vectors.Words);
    }

    [Fact]
    public void Text_round_trips_through_the_writer_with_and_without_header()
    {
        var original = TestVectors.Random(30, 7, seed: 21);
        foreach (var header in new[] { true, false })
        {
            var path = _folder.File($"out-{header}.txt");
            WordVectorWriter.WriteText(path, original, header);
            Assert.Equal(header, File.ReadLines(path).First() == "30 7");
            Assert.Equal(WordVectorFormat.Text, WordVectorReader.Detect(path));
            var read = WordVectorReader.Read(path);
            Assert.Equal(original.Words, read.Words);
            Assert.Equal(original.Table.ToArray(), read.Table.ToArray());
        }
    }

    [Fact]
    public void Non_number_field_is_reported_with_its_line()
    {
        var path = Write("bad.txt", "the 0.1 0.2\nof 0.3 0.4\nand 0.5 zero\n");
        var e = Assert.Throws<WordVectorFormatException>(() => WordVectorReader.ReadText(path));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("'zero'", e.Message, StringComparison.Ordinal);
        Assert.Contains("not a number", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_number_field_is_reported_with_its_line_counting_the_header()
    {
        var path = Write("bad-header.txt", "2 2\nthe 0.1 0.2\nof 0.3 0,4\n");
        var e = Assert.Throws<WordVectorFormatException>(() => WordVectorReader.ReadText(path));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("'0,4'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_with_too_few_fields_is_reported_with_its_line()
    {
        var path = Write("short.txt", "the 0.1 0.2 0.3\nof 0.4 0.5\n");
        var e = Assert.Throws<WordVectorFormatException>(() => WordVectorReader.ReadText(path));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("3 numbers", e.Message, StringComparison.Ordinal);
        Assert.Contains("found 3 fields", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Word_with_no_numbers_is_reported()
    {
        var path = Write("lonely.txt", "the\nof 1 2\n");
        var e = Assert.Throws<WordVectorFormatException>(() => WordVectorReader.ReadText(path));
        Assert.Contains("line 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_count_that_disagrees_with_the_lines_is_reported()
    {
        var path = Write("count.txt", "5 2\na 1 2\nb 3 4\nc 5 6\n");
        var e = Assert.Throws<WordVectorFormatException>(() => WordVectorReader.ReadText(path));
        Assert.Contains("declares 5 words", e.Message, StringComparison.Ordinal);
        Assert.Contains("holds 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_count_smaller_than_the_lines_is_reported()
    {
        var path = Write("count-small.txt", "2 2\na 1 2\nb 3 4\nc 5 6\n");
        var e = Assert.Throws<WordVectorFormatException>(() => WordVectorReader.ReadText(path));
        Assert.Contains("declares 2 words", e.Message, StringComparison.Ordinal);
        Assert.Contains("holds 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_text_file_is_reported()
    {
        var path = Write("empty.txt", "\n\n");
        var e = Assert.Throws<WordVectorFormatException>(() => WordVectorReader.ReadText(path));
        Assert.Contains("no word vectors", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_reported_with_its_path()
    {
        var path = _folder.File("nowhere.txt");
        var e = Assert.Throws<FileNotFoundException>(() => WordVectorReader.Read(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Word2vec_binary_round_trips_through_the_writer()
    {
        var original = new WordVectors(
            ["the", "café", "東京", "x"],
            TestVectors.Random(4, 5, seed: 22).Table.ToArray(),
            5);
        var path = _folder.File("vectors.bin");
        WordVectorWriter.WriteWord2VecBinary(path, original);
        Assert.Equal(WordVectorFormat.Word2VecBinary, WordVectorReader.Detect(path));
        var read = WordVectorReader.Read(path);
        Assert.Equal(original.Words, read.Words);
        Assert.Equal(original.Table.ToArray(), read.Table.ToArray());
    }

    [Fact]
    public void Word2vec_binary_written_by_the_c_tool_is_read()
    {
        // As word2vec.c writes with -binary 1: "count dims\n", then per word its bytes, ' ', dims float32, '\n'.
        // The second row's first value has a space and a newline among its bytes, which must not end anything.
        var awkward = BinaryPrimitives.ReadSingleLittleEndian([0x20, 0x0A, 0x20, 0x3F]);
        float[][] rows = [[1f, -2.5f, 0f], [awkward, 3.25f, -0f], [1e-30f, 65504f, -1f]];
        string[] words = ["the", "naïve", "</s>"];
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.ASCII.GetBytes("3 3\n"));
        for (var i = 0; i < 3; i++)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(words[i]));
            bytes.Add((byte)' ');
            foreach (var value in rows[i])
            {
                var buffer = new byte[4];
                BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
                bytes.AddRange(buffer);
            }

            bytes.Add((byte)'\n');
        }

        var path = _folder.File("GoogleNews-like.bin");
        File.WriteAllBytes(path, [.. bytes]);

        Assert.Equal(WordVectorFormat.Word2VecBinary, WordVectorReader.Detect(path));
        var vectors = WordVectorReader.Read(path);
        Assert.Equal(words, vectors.Words);
        Assert.Equal(3, vectors.Dimensions);
        Assert.Equal(rows.SelectMany(r => r).Select(BitConverter.SingleToInt32Bits), vectors.Table.ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Word2vec_binary_without_newlines_after_vectors_is_read()
    {
        // Some writers (gensim's older versions among them) leave out the newline after each vector.
        var bytes = new List<byte>(Encoding.ASCII.GetBytes("2 1\n"));
        bytes.AddRange("a "u8.ToArray());
        bytes.AddRange(BitConverter.GetBytes(1f));
        bytes.AddRange("b "u8.ToArray());
        bytes.AddRange(BitConverter.GetBytes(2f));
        var path = _folder.File("no-newlines.bin");
        File.WriteAllBytes(path, [.. bytes]);
        var vectors = WordVectorReader.ReadWord2VecBinary(path);
        Assert.Equal(["a", "b"], vectors.Words);
        Assert.Equal([1f, 2f], vectors.Table.ToArray());
    }

    [Fact]
    public void Truncated_word2vec_binary_is_reported()
    {
        var path = _folder.File("cut.bin");
        WordVectorWriter.WriteWord2VecBinary(path, TestVectors.Random(4, 5, seed: 23));
        var bytes = File.ReadAllBytes(path);

        File.WriteAllBytes(path, bytes[..^10]);
        var e = Assert.Throws<WordVectorFormatException>(() => WordVectorReader.ReadWord2VecBinary(path));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Contains("'w3'", e.Message, StringComparison.Ordinal);

        // Cut inside the last word itself.
        var lastWord = bytes.Length - 1 - (5 * 4) - 2;
        File.WriteAllBytes(path, bytes[..(lastWord + 1)]);
        e = Assert.Throws<WordVectorFormatException>(() => WordVectorReader.ReadWord2VecBinary(path));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Contains("entry 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Word2vec_binary_with_a_bad_header_is_reported()
    {
        var path = Write("bad.bin", "three 2\nabc");
        var e = Assert.Throws<WordVectorFormatException>(() => WordVectorReader.ReadWord2VecBinary(path));
        Assert.Contains("'three 2'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wink_json_is_read_in_the_order_of_its_words_array()
    {
        var path = Write("wink.json", WinkJson);
        Assert.Equal(WordVectorFormat.WinkJson, WordVectorReader.Detect(path));
        var vectors = WordVectorReader.Read(path);
        Assert.Equal(["a", "b"], vectors.Words);
        Assert.Equal(3, vectors.Dimensions);
        Assert.Equal([1f, 2f, 3f, 0.5f, -1.25f, 2f], vectors.Table.ToArray());
    }

    [Fact]
    public void Wink_word_without_a_vector_is_reported_by_name()
    {
        var path = Write("missing.json", """{"dimensions":2,"words":["a","ghost"],"vectors":{"a":[1,2,1.4,0]}}""");
        var e = Assert.Throws<WordVectorFormatException>(() => WordVectorReader.ReadWinkJson(path));
        Assert.Contains("'ghost'", e.Message, StringComparison.Ordinal);
        Assert.Contains("index 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wink_vector_shorter_than_the_dimensions_is_reported()
    {
        var path = Write("short.json", """{"dimensions":3,"words":["a"],"vectors":{"a":[1,2]}}""");
        var e = Assert.Throws<WordVectorFormatException>(() => WordVectorReader.ReadWinkJson(path));
        Assert.Contains("'a'", e.Message, StringComparison.Ordinal);
        Assert.Contains("2 numbers", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wink_json_with_vectors_before_dimensions_is_reported()
    {
        var path = Write("order.json", """{"words":["a"],"vectors":{"a":[1,2]},"dimensions":2}""");
        var e = Assert.Throws<WordVectorFormatException>(() => WordVectorReader.ReadWinkJson(path));
        Assert.Contains("\"dimensions\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wink_json_without_words_is_reported()
    {
        var path = Write("nowords.json", """{"dimensions":2,"vectors":{"a":[1,2]}}""");
        var e = Assert.Throws<WordVectorFormatException>(() => WordVectorReader.ReadWinkJson(path));
        Assert.Contains("\"words\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_wink_json_is_reported_as_a_format_error_naming_the_file()
    {
        var path = Write("truncated.json", WinkJson[..(WinkJson.Length / 2)]);
        var e = Assert.ThrowsAny<Exception>(() => WordVectorReader.ReadWinkJson(path));
        Assert.IsType<WordVectorFormatException>(e);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_tells_each_format()
    {
        var qvec = _folder.File("v.qvec");
        WordVectorFile.Write(qvec, TestVectors.Random(3, 2, seed: 24));
        Assert.Equal(WordVectorFormat.Quiver, WordVectorReader.Detect(qvec));
        Assert.Equal(3, WordVectorReader.Read(qvec).Count);

        Assert.Equal(WordVectorFormat.WinkJson, WordVectorReader.Detect(Write("UPPER.JSON", WinkJson)));
        Assert.Equal(WordVectorFormat.Text, WordVectorReader.Detect(Write("glove.txt", "the 1 2\nof 3 4\n")));
        Assert.Equal(WordVectorFormat.Text, WordVectorReader.Detect(Write("w2v.txt", "2 2\nthe 1 2\nof 3 4\n")));
        Assert.Equal(WordVectorFormat.Text, WordVectorReader.Detect(Write("oneline.vec", "the 1 2")));

        var binary = _folder.File("vectors.vec");
        WordVectorWriter.WriteWord2VecBinary(binary, TestVectors.Random(3, 2, seed: 25));
        Assert.Equal(WordVectorFormat.Word2VecBinary, WordVectorReader.Detect(binary));
    }

    [Fact]
    public void Explicit_format_overrides_detection()
    {
        var path = Write("vectors.data", "2 2\nthe 1 2\nof 3 4\n");
        var e = Assert.Throws<WordVectorFormatException>(() => WordVectorReader.Read(path, WordVectorFormat.WinkJson));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Equal(2, WordVectorReader.Read(path, WordVectorFormat.Text).Count);
    }

    private string Write(string name, string content)
    {
        var path = _folder.File(name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }
}
