using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Quiver.Server.Http;

/// <summary>
/// One streaming pass of <see cref="Utf8JsonReader"/> over a whole body that checks everything the parser lets
/// through but no field could use (a repeated key, a string that is not valid UTF-16 such as an escaped lone
/// surrogate, a number beyond a double such as 1e999, nesting deeper than the limit, trailing text), each a 400
/// naming its place, and records where each top-level field lies, building no tree: <see cref="RequestJson"/>
/// parses only the fields a route reads.
/// </summary>
internal static class JsonBodyScan
{
    public static RequestJson Scan(ReadOnlyMemory<byte> utf8, int maxDepth, BufferedBody? owner)
    {
        var body = utf8.Span;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth });
        var frames = new List<Frame>();
        var keySets = new List<JsonKeySet>();
        var fields = new List<Field>();
        byte[]? scratch = null;
        JsonTokenType? root = null;
        try
        {
            while (reader.Read())
            {
                var token = reader.TokenType;
                root ??= token;
                if (frames.Count > 0 && fields.Count > 0 && root == JsonTokenType.StartObject)
                {
                    fields[^1] = fields[^1] with { Values = fields[^1].Values + 1 };
                }

                switch (token)
                {
                    case JsonTokenType.PropertyName:
                        var at = checked((int)reader.TokenStartIndex);
                        if (reader.ValueIsEscaped && !WholeCharacters(reader.ValueSpan))
                        {
                            throw Invalid(body, frames, keyOfLast: false, "has a key that is not valid UTF-16 (a lone surrogate escape such as \\ud800). Send keys as whole characters.");
                        }

                        var key = JsonKeySet.Unescaped(ref reader, ref scratch);
                        if (!keySets[frames.Count - 1].Add(body, at, key))
                        {
                            throw Invalid(body, frames, keyOfLast: false, $"repeats a key (\"{Encoding.UTF8.GetString(key)}\"). Give each key once.");
                        }

                        frames[^1] = frames[^1] with { KeyStart = at };
                        if (frames.Count == 1)
                        {
                            fields.Add(new Field(at, 0, 0, 0));
                        }

                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        BeginValue(frames, fields, ref reader);
                        frames.Add(new Frame(token == JsonTokenType.StartArray, -1, -1));
                        if (token == JsonTokenType.StartObject)
                        {
                            while (keySets.Count < frames.Count)
                            {
                                keySets.Add(new JsonKeySet());
                            }

                            keySets[frames.Count - 1].Clear();
                        }

                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        EndValue(frames, fields, ref reader);
                        break;
                    case JsonTokenType.String:
                        BeginValue(frames, fields, ref reader);
                        if (reader.ValueIsEscaped && !WholeCharacters(reader.ValueSpan))
                        {
                            throw Invalid(body, frames, keyOfLast: true, "is a string that is not valid UTF-16 (a lone surrogate escape such as \\ud800). Send whole characters: a high surrogate escape followed by a low one.");
                        }

                        EndValue(frames, fields, ref reader);
                        break;
                    case JsonTokenType.Number:
                        BeginValue(frames, fields, ref reader);
                        if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
                        {
                            throw Invalid(body, frames, keyOfLast: true, $"is {Encoding.UTF8.GetString(reader.ValueSpan)}, beyond the range of a 64-bit floating-point number. Send finite numbers.");
                        }

                        EndValue(frames, fields, ref reader);
                        break;
                    default:
                        BeginValue(frames, fields, ref reader);
                        EndValue(frames, fields, ref reader);
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new ApiException(400, $"The body is not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} ({Trim(e.Message)}). Send a UTF-8 JSON object nested at most {maxDepth} levels deep.", null, "invalid_json");
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }

        return root == JsonTokenType.StartObject
            ? new RequestJson(utf8, fields, keySets[0], owner, maxDepth)
            : throw ApiException.BadRequest($"The body must be a JSON object, not {Describe(root)}.");
    }

    /// <summary>
    /// Whether a string's escapes make whole UTF-16 characters: every \uD800–\uDBFF escape followed at once by a
    /// \uDC00–\uDFFF one, and no low surrogate alone. The reader has already checked the escapes' syntax.
    /// </summary>
    internal static bool WholeCharacters(ReadOnlySpan<byte> raw)
    {
        var awaitingLow = false;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\')
            {
                if (awaitingLow)
                {
                    return false;
                }

                continue;
            }

            if (raw[i + 1] != (byte)'u')
            {
                if (awaitingLow)
                {
                    return false;
                }

                i++;
                continue;
            }

            var unit = Hex(raw.Slice(i + 2, 4));
            i += 5;
            var high = unit is >= 0xD800 and <= 0xDBFF;
            var low = unit is >= 0xDC00 and <= 0xDFFF;
            if (awaitingLow != low)
            {
                return false;
            }

            awaitingLow = high;
        }

        return !awaitingLow;
    }

    private static int Hex(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var digit in digits)
        {
            value = (value << 4) | (digit <= '9' ? digit - '0' : (digit | 0x20) - 'a' + 10);
        }

        return value;
    }

    // A value starts: an array counts its items (for the path of an error), a top-level field records where its value begins.
    private static void BeginValue(List<Frame> frames, List<Field> fields, ref Utf8JsonReader reader)
    {
        if (frames.Count == 0)
        {
            return;
        }

        if (frames[^1].IsArray)
        {
            frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
        }
        else if (frames.Count == 1)
        {
            fields[^1] = fields[^1] with { ValueStart = checked((int)reader.TokenStartIndex) };
        }
    }

    // A value ends: when it is a top-level field's, the field's length is known.
    private static void EndValue(List<Frame> frames, List<Field> fields, ref Utf8JsonReader reader)
    {
        if (frames.Count == 1 && !frames[0].IsArray)
        {
            fields[^1] = fields[^1] with { Length = checked((int)reader.BytesConsumed) - fields[^1].ValueStart };
        }
    }

    /// <summary>An error at the current place: the value being read, or (<paramref name="keyOfLast"/> false) the object whose key is at fault.</summary>
    private static ApiException Invalid(ReadOnlySpan<byte> body, List<Frame> frames, bool keyOfLast, string problem)
    {
        var path = new StringBuilder();
        var count = keyOfLast ? frames.Count : frames.Count - 1;
        for (var i = 0; i < count; i++)
        {
            var frame = frames[i];
            if (frame.IsArray)
            {
                path.Append('[').Append(frame.Index).Append(']');
            }
            else if (frame.KeyStart >= 0)
            {
                var name = JsonKeySet.KeyAt(body, frame.KeyStart);
                if (name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                {
                    path.Append(path.Length > 0 ? "." : "").Append(name);
                }
                else
                {
                    path.Append("['").Append(name).Append("']");
                }
            }
        }

        return path.Length > 0
            ? new ApiException(400, problem, path.ToString(), "invalid_json")
            : new ApiException(400, $"The body {problem}", null, "invalid_json");
    }

    private static string Describe(JsonTokenType? token) => token switch
    {
        null or JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        _ => "a boolean",
    };

    // System.Text.Json appends a path and byte position; keep the first sentence, which names the problem.
    private static string Trim(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        cut = cut > 0 ? cut : message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    /// <summary>One level of nesting: an array and the index of its current item, or an object and where its current key starts.</summary>
    private readonly record struct Frame(bool IsArray, int Index, int KeyStart);

    /// <summary>A top-level field: where its key starts, where its value starts and how long it is, how many JSON values it holds.</summary>
    internal readonly record struct Field(int KeyStart, int ValueStart, int Length, long Values)
    {
        public static IComparer<Field> ByKeyStart { get; } = Comparer<Field>.Create((a, b) => a.KeyStart.CompareTo(b.KeyStart));
    }
}
