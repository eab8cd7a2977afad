using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Quiver.Catalogue.Import.TfJs;

/// <summary>
/// Reads the value a browserify bundle exports, as nsfwjs ships its models: model.min.js exports model.json as a
/// minified JavaScript object literal, and each group1-shardXofY.min.js exports that shard's bytes as a base64 string
/// (nsfwjs's JSONHandler decodes them with Buffer.from(base64, "base64")).
/// </summary>
/// <remarks>
/// The bundle is not run: the literal after module 1's <c>exports=</c> is read as data, with the forms a minifier
/// writes (unquoted keys, <c>!0</c> and <c>!1</c> for true and false, <c>.5</c> for 0.5, <c>void 0</c>), so a file that
/// is anything else is refused rather than evaluated.
/// </remarks>
internal static partial class TfJsScriptBundle
{
    /// <summary>The exported object as JSON.</summary>
    public static JsonDocument ReadObject(string path)
    {
        var (text, start) = Open(path);
        if (text[start] != '{')
        {
            throw new TfJsImportException($"{path} exports a value that is not an object literal (it starts with '{text[start]}'); a model bundle such as nsfwjs's model.min.js exports model.json as one.");
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            new Reader(path, text, start).Value(writer);
        }

        return JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 256 });
    }

    /// <summary>The exported base64 string, decoded.</summary>
    public static byte[] ReadBase64(string path)
    {
        var (text, start) = Open(path);
        var reader = new Reader(path, text, start);
        var base64 = text[start] is '"' or '\'' ? reader.String() : throw new TfJsImportException(
            $"{path} exports a value that is not a string (it starts with '{text[start]}'); a weight bundle such as nsfwjs's group1-shard1of1.min.js exports its shard as base64.");
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new TfJsImportException($"{path} exports a string that is not base64 ({e.Message}); download the package again.", e);
        }
    }

    private static (string Text, int Start) Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new TfJsImportException($"{path} does not exist; pass the model.min.js of an nsfwjs model folder (dist/models/<model>/), with its group1-shard*.min.js beside it.");
        }

        var text = File.ReadAllText(path);
        var match = ModuleExport().Match(text);
        if (!match.Success)
        {
            throw new TfJsImportException(
                $"{path} is not a browserify bundle in the form nsfwjs ships models in: no '{{1:[function(e,a,n){{a.exports=' was found. Pass a model.min.js or shard .min.js from nsfwjs's dist/models folder, or a model.json with its binary shards.");
        }

        return (text, match.Index + match.Length);
    }

    // Module 1's factory, function(require, module, exports), assigning the value to module.exports.
    [GeneratedRegex(@"\{1:\[function\(\w+,(\w+),\w+\)\{\1\.exports=")]
    private static partial Regex ModuleExport();

    private sealed class Reader(string path, string text, int position)
    {
        private int _at = position;

        public void Value(Utf8JsonWriter writer)
        {
            var c = Peek();
            switch (c)
            {
                case '{':
                    _at++;
                    writer.WriteStartObject();
                    while (Peek() != '}')
                    {
                        writer.WritePropertyName(Key());
                        Expect(':');
                        Value(writer);
                        if (Peek() == ',')
                        {
                            _at++;
                        }
                    }

                    _at++;
                    writer.WriteEndObject();
                    break;
                case '[':
                    _at++;
                    writer.WriteStartArray();
                    while (Peek() != ']')
                    {
                        Value(writer);
                        if (Peek() == ',')
                        {
                            _at++;
                        }
                    }

                    _at++;
                    writer.WriteEndArray();
                    break;
                case '"' or '\'':
                    writer.WriteStringValue(String());
                    break;
                case '!' when Next(2) is "!0" or "!1":
                    writer.WriteBooleanValue(text[_at + 1] == '0');
                    _at += 2;
                    break;
                default:
                    if (char.IsAsciiDigit(c) || c is '-' or '.' or '+')
                    {
                        writer.WriteNumberValue(Number());
                    }
                    else
                    {
                        var word = Identifier();
                        switch (word)
                        {
                            case "true" or "false":
                                writer.WriteBooleanValue(word == "true");
                                break;
                            case "null":
                                writer.WriteNullValue();
                                break;
                            case "void" when Identifier() == "0":
                                writer.WriteNullValue();
                                break;
                            case "NaN" or "Infinity":
                                writer.WriteStringValue(word);
                                break;
                            default:
                                throw Error($"'{word}' is not a literal value");
                        }
                    }

                    break;
            }
        }

        public string String()
        {
            var quote = text[_at++];
            var value = new StringBuilder();
            while (true)
            {
                if (_at >= text.Length)
                {
                    throw Error("a string is not closed");
                }

                var c = text[_at++];
                if (c == quote)
                {
                    return value.ToString();
                }

                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }

                var escaped = text[_at++];
                switch (escaped)
                {
                    case 'n': value.Append('\n'); break;
                    case 't': value.Append('\t'); break;
                    case 'r': value.Append('\r'); break;
                    case 'b': value.Append('\b'); break;
                    case 'f': value.Append('\f'); break;
                    case '0': value.Append('\0'); break;
                    case 'u':
                        value.Append((char)int.Parse(text.AsSpan(_at, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        _at += 4;
                        break;
                    case 'x':
                        value.Append((char)int.Parse(text.AsSpan(_at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        _at += 2;
                        break;
                    default: value.Append(escaped); break;
                }
            }
        }

        private string Key() => Peek() is '"' or '\'' ? String() : Identifier();

        private double Number()
        {
            var start = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] is '-' or '+' or '.'))
            {
                _at++;
            }

            var token = text[start.._at];
            return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Error($"'{token}' is not a decimal number");
        }

        private string Identifier()
        {
            Peek();
            var start = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] is '_' or '$'))
            {
                _at++;
            }

            return _at > start ? text[start.._at] : throw Error($"unexpected '{(_at < text.Length ? text[_at] : ' ')}'");
        }

        private void Expect(char c)
        {
            if (Peek() != c)
            {
                throw Error($"expected '{c}'");
            }

            _at++;
        }

        private char Peek()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }

            return _at < text.Length ? text[_at] : throw Error("the literal ends early");
        }

        private string Next(int count) => _at + count <= text.Length ? text.Substring(_at, count) : string.Empty;

        private TfJsImportException Error(string what) =>
            new($"{path}: the exported literal cannot be read at character {_at:N0}: {what}. The file is not a model bundle as nsfwjs ships them; download the package again.");
    }
}
