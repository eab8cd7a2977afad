using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Quiver.Server.Http;

/// <summary>
/// Reads a request body as a JSON object within the server's limits (size, nesting depth, valid UTF-8), so every
/// handler reports bad input by field instead of failing inside a serializer.
/// </summary>
internal static class JsonBody
{
    public static async Task<JsonObject> ReadObject(HttpContext context, ServerLimits limits, bool allowEmpty = false)
    {
        var request = context.Request;
        if (request.ContentLength > limits.MaxBodyBytes)
        {
            throw new ApiException(413, $"The body is {request.ContentLength} bytes; the server accepts at most {limits.MaxBodyBytes}. Send fewer or smaller inputs per request.", code: "request_too_large");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limits.MaxBodyBytes)
            {
                throw new ApiException(413, $"The body is larger than the {limits.MaxBodyBytes} bytes the server accepts. Send fewer or smaller inputs per request.", code: "request_too_large");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            if (allowEmpty)
            {
                return [];
            }

            throw ApiException.BadRequest("The request has no body; send a JSON object.");
        }

        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (InvalidUtf8At(bytes) is { } offset)
        {
            throw new ApiException(400, $"The body is not valid UTF-8 at byte offset {offset}. Send JSON encoded as UTF-8.", code: "invalid_json");
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException e)
        {
            var path = FieldPath(e.Path);
            throw new ApiException(400, $"The body is not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1} ({Trim(e.Message)}). Send a UTF-8 JSON object nested at most {limits.MaxJsonDepth} levels deep.", path, "invalid_json");
        }

        Check(node);
        return node as JsonObject ?? throw ApiException.BadRequest($"The body must be a JSON object, not {Describe(node)}.");
    }

    /// <summary>
    /// Walks the whole tree once, so that what the parser lets through but no field could use is a 400 naming its
    /// place here rather than a failure deep in a handler: a repeated key, a string that is not valid UTF-16 (an
    /// escaped lone surrogate such as \ud800), a number too large for a double (1e999 would be stored as infinity).
    /// </summary>
    private static void Check(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                // JsonNode builds its objects lazily; enumerating builds them, and unescapes the keys.
                List<KeyValuePair<string, JsonNode?>> members;
                try
                {
                    members = [.. obj];
                }
                catch (ArgumentException e)
                {
                    throw Invalid(obj, $"repeats a key ({e.Message}). Give each key once.");
                }
                catch (InvalidOperationException)
                {
                    throw Invalid(obj, "has a key that is not valid UTF-16 (a lone surrogate escape such as \\ud800). Send keys as whole characters.");
                }

                foreach (var (_, value) in members)
                {
                    Check(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Check(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                try
                {
                    _ = value.GetValue<string>();
                }
                catch (InvalidOperationException)
                {
                    throw Invalid(value, "is a string that is not valid UTF-16 (a lone surrogate escape such as \\ud800). Send whole characters: a high surrogate escape followed by a low one.");
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                if (!value.TryGetValue<double>(out var number) || !double.IsFinite(number))
                {
                    throw Invalid(value, $"is {value.ToJsonString()}, beyond the range of a 64-bit floating-point number. Send finite numbers.");
                }

                break;
        }
    }

    private static ApiException Invalid(JsonNode node, string problem) =>
        FieldPath(node.GetPath()) is { } path
            ? new ApiException(400, problem, path, "invalid_json")
            : new ApiException(400, $"The body {problem}", null, "invalid_json");

    /// <summary>A JSON path as the server names fields elsewhere ("points[0].payload"), or null for the root.</summary>
    private static string? FieldPath(string? jsonPath) => jsonPath switch
    {
        null or "$" => null,
        _ when jsonPath.StartsWith("$.", StringComparison.Ordinal) => jsonPath[2..],
        _ => jsonPath[1..],
    };

    /// <summary>The byte offset of the first invalid UTF-8 sequence, or null when the whole body is valid.</summary>
    private static long? InvalidUtf8At(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return null;
        }

        var offset = 0;
        while (System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    public static string Describe(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => "a boolean",
    };

    // System.Text.Json appends a path and byte position; keep the first sentence, which names the problem.
    private static string Trim(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}
