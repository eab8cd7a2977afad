using System.Text.Json;
using System.Text.Json.Serialization;
using Quiver.Server.Http;

namespace Quiver.Server.Embeddings;

/// <summary>
/// OpenAI's embeddings input: a string, an array of strings, an array of token ids or an array of such arrays. The
/// first item fixes the type of all of them; a wrong item is named by its index (<c>input[2]</c>, <c>input[1][4]</c>).
/// The server's limits (inputs per request, characters, tokens) are checked after reading, by the route.
/// </summary>
internal sealed class EmbeddingsInputReader : JsonConverter<EmbeddingsInput>
{
    public override EmbeddingsInput Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new EmbeddingsInput { Count = 1, Texts = [reader.GetString()!] };
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw RequestFieldException.Wrong("a string, an array of strings, an array of token ids or an array of such arrays", reader.TokenType);
        }

        reader.Read();
        var first = reader.TokenType;
        switch (first)
        {
            case JsonTokenType.EndArray:
                throw new RequestFieldException("is an empty array; give at least one input.");
            case JsonTokenType.Number:
                var ids = TokenIds(ref reader, "");
                return new EmbeddingsInput { Count = ids.Length, TokenIds = [ids] };
            case JsonTokenType.String:
                var texts = new List<string>();
                for (; reader.TokenType != JsonTokenType.EndArray; reader.Read())
                {
                    texts.Add(reader.TokenType == JsonTokenType.String
                        ? reader.GetString()!
                        : throw RequestFieldException.Wrong("a string (every input of one request has the same type)", reader.TokenType, $"[{texts.Count}]"));
                }

                return new EmbeddingsInput { Count = texts.Count, IsArray = true, Texts = texts };
            case JsonTokenType.StartArray:
                var inputs = new List<int[]>();
                for (; reader.TokenType != JsonTokenType.EndArray; reader.Read())
                {
                    var path = $"[{inputs.Count}]";
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw RequestFieldException.Wrong("an array of token ids like input[0]", reader.TokenType, path);
                    }

                    reader.Read();
                    inputs.Add(reader.TokenType == JsonTokenType.EndArray
                        ? throw new RequestFieldException("is an empty token array; give at least one token id.", path)
                        : TokenIds(ref reader, path));
                }

                return new EmbeddingsInput { Count = inputs.Count, IsArray = true, TokenIds = inputs };
            default:
                throw RequestFieldException.Wrong("a string or an array of token ids", first, "[0]");
        }
    }

    public override void Write(Utf8JsonWriter writer, EmbeddingsInput value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Request types are only read.");

    // The token ids from the reader's current item to the end of their array (the reader is left on its EndArray).
    private static int[] TokenIds(ref Utf8JsonReader reader, string path)
    {
        var ids = new List<int>();
        for (; reader.TokenType != JsonTokenType.EndArray; reader.Read())
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var id) || id < 0)
            {
                throw RequestFieldException.Wrong("a token id (a whole number from 0)", reader.TokenType, $"{path}[{ids.Count}]");
            }

            ids.Add(id);
        }

        return [.. ids];
    }
}
