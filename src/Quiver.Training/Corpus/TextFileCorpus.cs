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
        CheckPart(part, parts);
        return ReadRange(Length * part / parts, Length * (part + 1) / parts, cancellationToken);
    }

    /// <summary>Sentences as vocabulary ids, looked up from the file's UTF-8 bytes: no string is made per token.</summary>
    public IEnumerable<ArraySegment<int>> ReadIds(int part, int parts, ITokenLookup lookup, CancellationToken cancellationToken = default)
    {
        CheckPart(part, parts);
        return ReadIdRange(Length * part / parts, Length * (part + 1) / parts, lookup, cancellationToken);
    }

    private static void CheckPart(int part, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(part);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(part, parts);
    }

    private IEnumerable<IReadOnlyList<string>> ReadRange(long start, long end, CancellationToken cancellationToken)
    {
        var sentence = new List<string>();
        var scanner = new Scanner();
        foreach (var unit in Scan(start, end, scanner, cancellationToken))
        {
            if (unit == Unit.Token)
            {
                sentence.Add(Encoding.UTF8.GetString(scanner.Token.AsSpan(0, scanner.TokenLength)));
            }
            else if (sentence.Count > 0)
            {
                yield return sentence;
                sentence.Clear();
            }
        }
    }

    private IEnumerable<ArraySegment<int>> ReadIdRange(long start, long end, ITokenLookup lookup, CancellationToken cancellationToken)
    {
        var ids = new int[MaxSentenceLength];
        var n = 0;
        var tokens = 0;
        var scanner = new Scanner();
        foreach (var unit in Scan(start, end, scanner, cancellationToken))
        {
            if (unit == Unit.Token)
            {
                tokens++;
                var id = lookup.IdOf(scanner.Token.AsSpan(0, scanner.TokenLength));
                if (id >= 0)
                {
                    ids[n++] = id;
                }
            }
            else if (tokens > 0)
            {
                yield return new ArraySegment<int>(ids, 0, n);
                n = 0;
                tokens = 0;
            }
        }
    }

    private enum Unit
    {
        Token,
        SentenceEnd,
    }

    /// <summary>The bytes of the token <see cref="Scan"/> has just reported.</summary>
    private sealed class Scanner
    {
        public byte[] Token = new byte[256];
        public int TokenLength;

        public void Add(byte b)
        {
            if (TokenLength == Token.Length)
            {
                Array.Resize(ref Token, Token.Length * 2);
            }

            Token[TokenLength++] = b;
        }
    }

    /// <summary>
    /// Walks the lines that start in [start, end): a token (its bytes in <paramref name="scanner"/>) or the end of a
    /// sentence (a line break, or <see cref="MaxSentenceLength"/> tokens). Both readers share this one tokeniser.
    /// </summary>
    private IEnumerable<Unit> Scan(long start, long end, Scanner scanner, CancellationToken cancellationToken)
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

        var buffer = new byte[1 << 16];
        stream.Position = position;
        var lineStart = position;
        var atLineStart = true;
        var inSentence = 0;
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
                    if (scanner.TokenLength > 0)
                    {
                        yield return Unit.Token;
                        scanner.TokenLength = 0;
                        if (++inSentence == MaxSentenceLength)
                        {
                            yield return Unit.SentenceEnd;
                            inSentence = 0;
                        }
                    }

                    if (c == '\n')
                    {
                        if (inSentence > 0)
                        {
                            yield return Unit.SentenceEnd;
                            inSentence = 0;
                        }

                        lineStart = position + 1;
                        atLineStart = true;
                    }
                }
                else
                {
                    scanner.Add(c);
                }
            }
        }

        if (scanner.TokenLength > 0)
        {
            yield return Unit.Token;
            scanner.TokenLength = 0;
            inSentence++;
        }

        if (inSentence > 0)
        {
            yield return Unit.SentenceEnd;
        }
    }
}
