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
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw new ApiException(400, "The body is not valid UTF-8. Send JSON encoded as UTF-8.", code: "invalid_json");
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });

            // JsonNode builds its objects lazily; build them now so a repeated key is a 400 here, not a failure later.
            Materialize(node);
        }
        catch (JsonException e)
        {
            throw new ApiException(400, $"The body is not valid JSON ({Trim(e.Message)}). Send a UTF-8 JSON object nested at most {limits.MaxJsonDepth} levels deep.", code: "invalid_json");
        }
        catch (ArgumentException e)
        {
            throw new ApiException(400, $"The body repeats a key ({e.Message}). Give each key once.", code: "invalid_json");
        }

        return node as JsonObject ?? throw ApiException.BadRequest($"The body must be a JSON object, not {Describe(node)}.");
    }

    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    Materialize(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Materialize(item);
                }

                break;
        }
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
