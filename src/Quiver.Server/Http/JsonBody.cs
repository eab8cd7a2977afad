using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Quiver.Server.Http;

/// <summary>
/// Gives handlers the request body as a checked JSON object (valid UTF-8, then <see cref="JsonBodyScan"/>), so every
/// handler reports bad input by field instead of failing inside a serializer.
/// </summary>
internal static class JsonBody
{
    /// <summary>
    /// The body as a checked JSON object whose fields are parsed as the route reads them. <see cref="BodyArrival"/>
    /// has read the bytes before the request was admitted; it passes by requests that say they have no body, which are
    /// read here in case they have one anyway (within Kestrel's body size limit).
    /// </summary>
    public static async Task<RequestJson> ReadObject(HttpContext context, ServerLimits limits, bool allowEmpty = false)
    {
        var buffered = context.Features.Get<BufferedBody>();
        ReadOnlyMemory<byte> bytes;
        if (buffered is not null)
        {
            bytes = buffered.Bytes;
        }
        else
        {
            using var copy = new MemoryStream();
            await context.Request.Body.CopyToAsync(copy, context.RequestAborted);
            bytes = copy.ToArray();
        }

        if (bytes.IsEmpty)
        {
            return allowEmpty ? RequestJson.Empty : throw ApiException.BadRequest("The request has no body; send a JSON object.");
        }

        if (InvalidUtf8At(bytes.Span) is { } offset)
        {
            throw new ApiException(400, $"The body is not valid UTF-8 at byte offset {offset}. Send JSON encoded as UTF-8.", code: "invalid_json");
        }

        return JsonBodyScan.Scan(bytes, limits.MaxJsonDepth, buffered);
    }

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
}
