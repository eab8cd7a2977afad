using System.Text.Json;
using System.Text.Json.Nodes;

namespace Quiver.Server.Http;

/// <summary>Typed reads of request fields that name the field and the expected type when the value is wrong.</summary>
internal static class JsonFields
{
    // Fields of an object inside a request that its typed record keeps as JSON (Qdrant's filters, alias actions).
    public static string? String(JsonObject body, string name, string? path = null) => String(body[name], path ?? name);

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

    /// <summary>A whole number within bounds, as every API of the server checks it (gRPC's numbers too).</summary>
    public static int Within(long value, int min, int max, string path) =>
        value >= min && value <= max
            ? (int)value
            : throw ApiException.BadRequest($"must be from {min} to {max}; it is {value}.", path);

    private static double? Number(JsonNode? node, string path) =>
        node is null ? null : node.GetValueKind() == JsonValueKind.Number ? node.GetValue<double>() : throw Wrong(path, "a number", node);

    public static ApiException Wrong(string path, string expected, JsonNode? actual) =>
        ApiException.BadRequest($"must be {expected}, not {JsonBody.Describe(actual)}.", path);
}
