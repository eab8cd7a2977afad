using System.Text;

namespace Quiver.Training.Corpus;

/// <summary>
/// A tokenised text file: tokens are separated by spaces, tabs or line breaks, and each line is a sentence (a
/// line longer than <see cref="MaxSentenceLength"/> tokens is cut into several, as word2vec does with its 1,000-word
/// limit). Parts are byte ranges of the file; a part owns every line that starts inside its range, so no line is read
/// twice or lost.
/// </summary>
public sealed class TextFileCorpus : ISentenceCorpus
{
    public const int MaxSentenceLength = 1000;

    public TextFileCorpus(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The corpus file '{path}' does not exist. Give a tokenised text file: words separated by spaces, one sentence per line.", path);
        }

        Path = System.IO.Path.GetFullPath(path);
        Length = new FileInfo(Path).Length;
    }

    public string Path { get; }

    /// <summary>Size of the file in bytes, for progress.</summary>
    public long Length { get; }

    public IEnumerable<IReadOnlyList<string>> Read(int part, int parts, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, parts);
        return ReadRange(Length * part / parts, Length * (part + 1) / parts, cancellationToken);
    }

    private IEnumerable<IReadOnlyList<string>> ReadRange(long start, long end, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var position = start;
        if (start > 0)
        {
            // The line that straddles the start belongs to the previous part: skip to the byte after its end.
            stream.Position = start - 1;
            int b;
            while ((b = stream.ReadByte()) >= 0 && b != '\n')
            {
            }

            position = stream.Position;
        }

        var sentence = new List<string>();
        var word = new List<byte>(64);
        var buffer = new byte[1 << 16];
        stream.Position = position;
        var lineStart = position;
        var atLineStart = true;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = stream.Read(buffer, 0, buffer.Length);
            if (read == 0)
            {
                break;
            }

            for (var i = 0; i < read; i++, position++)
            {
                if (atLineStart)
                {
                    if (lineStart >= end)
                    {
                        yield break;
                    }

                    atLineStart = false;
                }

                var c = buffer[i];
                if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\v' or (byte)'\f')
                {
                    if (word.Count > 0)
                    {
                        sentence.Add(Encoding.UTF8.GetString(word.ToArray()));
                        word.Clear();
                        if (sentence.Count == MaxSentenceLength)
                        {
                            yield return sentence;
                            sentence.Clear();
                        }
                    }

                    if (c == '\n')
                    {
                        if (sentence.Count > 0)
                        {
                            yield return sentence;
                            sentence.Clear();
                        }

                        lineStart = position + 1;
                        atLineStart = true;
                    }
                }
                else
                {
                    word.Add(c);
                }
            }
        }

        if (word.Count > 0)
        {
            sentence.Add(Encoding.UTF8.GetString(word.ToArray()));
        }

        if (sentence.Count > 0)
        {
            yield return sentence;
        }
    }
}
