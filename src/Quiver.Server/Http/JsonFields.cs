using System.Text.Json;
using System.Text.Json.Nodes;

namespace Quiver.Server.Http;

/// <summary>Typed reads of request fields that name the field and the expected type when the value is wrong.</summary>
internal static class JsonFields
{
    // Each read has two doors: a field of a request object (the body, parsed as it is read, or a batch entry) and a field of an object inside it.
    public static string? String(IRequestFields body, string name, string? path = null) => String(body[name], path ?? body.PathOf(name));

    public static string? String(JsonObject body, string name, string? path = null) => String(body[name], path ?? name);

    public static bool? Bool(IRequestFields body, string name, string? path = null) => Bool(body[name], path ?? body.PathOf(name));

    public static bool? Bool(JsonObject body, string name, string? path = null) => Bool(body[name], path ?? name);

    public static int? Int(IRequestFields body, string name, int min, int max, string? path = null) => Int(body[name], min, max, path ?? body.PathOf(name));

    public static int? Int(JsonObject body, string name, int min, int max, string? path = null) => Int(body[name], min, max, path ?? name);

    public static double? Number(IRequestFields body, string name, string? path = null) => Number(body[name], path ?? body.PathOf(name));

    public static double? Number(JsonObject body, string name, string? path = null) => Number(body[name], path ?? name);

    /// <summary>A number from 0 to 1, such as MMR's balance between relevance and diversity.</summary>
    public static double Fraction(double value, string path) =>
        value is >= 0 and <= 1 ? value : throw ApiException.BadRequest($"must be from 0 to 1; it is {value}.", path);

    /// <summary>A text to embed, within the characters one input may have (as /v1/embeddings limits its inputs).</summary>
    public static string Text(JsonNode? node, string path, ServerLimits limits)
    {
        if (node?.GetValueKind() != JsonValueKind.String)
        {
            throw Wrong(path, "a string", node);
        }

        return Text(node.GetValue<string>(), path, limits);
    }

    /// <summary>A text of a typed request, within the characters one input may have.</summary>
    public static string Text(string text, string path, ServerLimits limits) =>
        text.Length <= limits.MaxInputCharacters
            ? text
            : throw ApiException.BadRequest($"is {text.Length} characters long; the server takes at most {limits.MaxInputCharacters} per text. Split the text into several points.", path);

    public static JsonObject? Object(IRequestFields body, string name, string? path = null) => Object(body[name], path ?? body.PathOf(name));

    public static JsonObject? Object(JsonObject body, string name, string? path = null) => Object(body[name], path ?? name);

    public static JsonArray? Array(IRequestFields body, string name, string? path = null) => Array(body[name], path ?? body.PathOf(name));

    public static JsonArray? Array(JsonObject body, string name, string? path = null) => Array(body[name], path ?? name);

    /// <summary>A vector: an array of finite numbers.</summary>
    public static float[] Vector(JsonNode? node, string path)
    {
        if (node is not JsonArray array)
        {
            throw Wrong(path, "an array of numbers", node);
        }

        var vector = new float[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            var item = array[i];
            if (item is null || item.GetValueKind() != JsonValueKind.Number)
            {
                throw Wrong($"{path}[{i}]", "a number", item);
            }

            var value = item.GetValue<double>();
            if (!double.IsFinite(value) || Math.Abs(value) > float.MaxValue)
            {
                throw ApiException.BadRequest($"is {value}, which is not a finite 32-bit number. Vectors must hold finite numbers.", $"{path}[{i}]");
            }

            vector[i] = (float)value;
        }

        return vector;
    }

    private static string? String(JsonNode? node, string path) =>
        node is null ? null : node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : throw Wrong(path, "a string", node);

    private static bool? Bool(JsonNode? node, string path) => node?.GetValueKind() switch
    {
        null => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Wrong(path, "true or false", node),
    };

    private static int? Int(JsonNode? node, int min, int max, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<long>(out var value))
        {
            throw Wrong(path, "a whole number", node);
        }

        return Within(value, min, max, path);
    }

    /// <summary>A whole number within bounds, as every API of the server checks it (gRPC's numbers too).</summary>
    public static int Within(long value, int min, int max, string path) =>
        value >= min && value <= max
            ? (int)value
            : throw ApiException.BadRequest($"must be from {min} to {max}; it is {value}.", path);

    private static double? Number(JsonNode? node, string path) =>
        node is null ? null : node.GetValueKind() == JsonValueKind.Number ? node.GetValue<double>() : throw Wrong(path, "a number", node);

    private static JsonObject? Object(JsonNode? node, string path) =>
        node is null ? null : node as JsonObject ?? throw Wrong(path, "an object", node);

    private static JsonArray? Array(JsonNode? node, string path) =>
        node is null ? null : node as JsonArray ?? throw Wrong(path, "an array", node);

    public static ApiException Wrong(string path, string expected, JsonNode? actual) =>
        ApiException.BadRequest($"must be {expected}, not {JsonBody.Describe(actual)}.", path);
}
