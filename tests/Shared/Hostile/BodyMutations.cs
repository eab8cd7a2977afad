using System.Text;
using System.Text.Json.Nodes;

namespace Quiver.Tests.Shared.Hostile;

/// <summary>
/// Mutations of one field of a valid JSON body, and of the body as a whole. A field's new value is raw bytes put in
/// place of a marker after serialising, so it can be what no JSON writer produces: 1e999, a lone surrogate escape,
/// invalid UTF-8, a repeated key, nesting deeper than the server reads.
/// </summary>
internal static class BodyMutations
{
    private const string Marker = "hostile-marker-0f9e2c";

    /// <summary>Field mutations: a name and its variants (raw JSON values; a few depend on the field's old value).</summary>
    public static readonly IReadOnlyList<(string Name, Func<JsonNode?, long, Random, byte[]?> Value)> Field =
    [
        ("wrong-type-string", (_, _, r) => Raw(Pick(r, "\"x\"", "\"\"", "\"12\"", "\"true\""))),
        ("wrong-type-number", (_, _, r) => Raw(Pick(r, "1.5", "0", "7"))),
        ("wrong-type-bool", (_, _, r) => Raw(Pick(r, "true", "false"))),
        ("wrong-type-null", (_, _, _) => Raw("null")),
        ("wrong-type-object", (_, _, r) => Raw(Pick(r, "{}", "{\"a\": 1}", "{\"text\": 5}"))),
        ("wrong-type-array", (_, _, r) => Raw(Pick(r, "[]", "[1, \"a\"]", "[[]]", "[null]"))),
        ("huge-number", (_, _, r) => Raw(Pick(r, "1e308", "18446744073709551616", "9223372036854775808", "2147483648", "1" + new string('0', 400)))),
        ("negative-number", (_, _, r) => Raw(Pick(r, "-1", "-2147483649", "-0", "-1e-320", "-9223372036854775809"))),
        ("overflow-1e999", (_, _, r) => Raw(Pick(r, "1e999", "-1e999", "1E+999"))),
        ("nan-like-string", (_, _, r) => Raw(Pick(r, "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e999\"", "\"-0\""))),
        ("lone-surrogate", (_, _, r) => Raw(Pick(r, "\"\\ud800\"", "\"a\\udfffb\"", "\"\\ud800\\u0041\"", "[\"\\udbff\"]", "{\"\\ud800\": 1}"))),
        ("invalid-utf8", (_, _, r) => Pick<byte[]>(r, [0x22, 0xC3, 0x28, 0x22], [0x22, 0xFF, 0xFE, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0x61, 0xF0, 0x9F, 0x22])),
        ("control-characters", (_, _, r) => Pick<byte[]>(r, Encoding.UTF8.GetBytes("\"a\\u0000b\""), [0x22, 0x61, 0x01, 0x62, 0x22], [0x22, 0x0A, 0x22])),
        ("giant-string", (_, room, _) => Giant('"', "xyz ", room, '"')),
        ("giant-array", (_, room, r) => Giant('[', Pick(r, "0,", "1.5,", "\"a\","), room, ']')),
        ("deep-nesting", (_, _, r) => Nested(Pick(r, 33, 200, 20_000))),
        ("duplicate-key", (old, _, _) => Raw($"{Json(old)}, \"{Marker}-dup\": 1")),
        ("missing", (_, _, _) => null),
    ];

    /// <summary>Whole-body mutations: a name and the new body (and content type, when it changes) from the valid body's bytes.</summary>
    public static readonly IReadOnlyList<(string Name, Func<byte[], long, Random, (byte[]? Body, string? ContentType)> Body)> Whole =
    [
        ("truncated", (body, _, r) => (body[..r.Next(1, body.Length)], null)),
        ("empty-body", (_, _, _) => ([], null)),
        ("not-an-object", (_, _, r) => (Raw(Pick(r, "null", "[]", "42", "\"s\"", "[{}]", "true")), null)),
        ("trailing-text", (body, _, r) => ([.. body, .. Raw(Pick(r, " x", "{}", ",", "\u0000"))], null)),
        ("comment", (body, _, _) => ([.. Raw("/* c */"), .. body], null)),
        ("byte-order-mark", (body, _, _) => ([0xEF, 0xBB, 0xBF, .. body], null)),
        ("utf16", (body, _, _) => (Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(body)), "application/json; charset=utf-16")),
        ("wrong-content-type", (body, _, r) => (body, Pick(r, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/json; charset=latin1", "application/jsonx"))),
        ("no-content-type", (body, _, _) => (body, string.Empty)),
        ("extra-field", (body, _, r) => (Prepend(body, Raw(Pick(r, "\"hostile_extra\": 1", "\"__proto__\": {\"admin\": true}", "\"\": null"))), null)),
        ("duplicate-top-key", (body, _, _) => (DuplicateFirstKey(body), null)),
        ("giant-ignored-field", (body, room, r) => (Prepend(body, [.. Raw("\"padding\": "), .. Giant('[', Pick(r, "0,", "{},", "\"pad\","), room, ']')]), null)),
        ("deep-body", (_, _, r) => (Nested(Pick(r, 33, 100_000)), null)),
        ("invalid-utf8-body", (body, _, r) => ([.. body[..(body.Length / 2)], 0xFF, .. body[(body.Length / 2)..]], null)),
    ];

    /// <summary>The paths (object keys and array positions) of every value under the body's root.</summary>
    public static List<object[]> Fields(JsonNode body)
    {
        var paths = new List<object[]>();
        Walk(body, [], paths);
        return paths;
    }

    /// <summary>The body with the value at <paramref name="path"/> replaced by raw bytes, or removed when they are null.</summary>
    public static byte[] Replace(JsonNode body, object[] path, byte[]? value)
    {
        var copy = body.DeepClone();
        var parent = Navigate(copy, path[..^1]);
        var last = path[^1];
        if (value is null)
        {
            if (last is string key)
            {
                parent.AsObject().Remove(key);
            }
            else
            {
                parent.AsArray().RemoveAt((int)last);
            }

            return Encoding.UTF8.GetBytes(copy.ToJsonString());
        }

        if (last is string name)
        {
            parent[name] = Marker;
        }
        else
        {
            parent[(int)last] = Marker;
        }

        var text = Encoding.UTF8.GetBytes(copy.ToJsonString());
        var marker = Encoding.UTF8.GetBytes("\"" + Marker + "\"");
        var at = text.AsSpan().IndexOf(marker);
        return [.. text[..at], .. value, .. text[(at + marker.Length)..]];
    }

    public static JsonNode? ValueAt(JsonNode body, object[] path) => path[^1] is string key ? Navigate(body, path[..^1])[key] : Navigate(body, path[..^1])[(int)path[^1]];

    private static void Walk(JsonNode? node, object[] path, List<object[]> paths)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                object[] child = [.. path, key];
                paths.Add(child);
                Walk(value, child, paths);
            }
        }
        else if (node is JsonArray array)
        {
            // The first element stands for the rest: every element of an array has the same shape.
            if (array.Count > 0)
            {
                object[] child = [.. path, 0];
                paths.Add(child);
                Walk(array[0], child, paths);
            }
        }
    }

    private static JsonNode Navigate(JsonNode root, object[] path)
    {
        var node = root;
        foreach (var step in path)
        {
            node = step is string key ? node[key]! : node[(int)step]!;
        }

        return node;
    }

    private static string Json(JsonNode? node) => node?.ToJsonString() ?? "null";

    private static byte[] Raw(string text) => Encoding.UTF8.GetBytes(text);

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];

    // A string or array of repeated items that fills about `room` bytes.
    private static byte[] Giant(char open, string item, long room, char close)
    {
        var count = (int)Math.Max(1, room / item.Length);
        var text = new StringBuilder(count * item.Length + 2).Append(open).Insert(1, item, count);
        if (close == ']')
        {
            text.Length--; // the last separator
        }

        return Encoding.UTF8.GetBytes(text.Append(close).ToString());
    }

    private static byte[] Nested(int depth) => Raw(new string('[', depth) + new string(']', depth));

    // {"padding": ..., <the valid body's fields>}: the hostile part comes first, before the fields the handler reads.
    private static byte[] Prepend(byte[] body, byte[] field)
    {
        var open = Array.IndexOf(body, (byte)'{');
        if (open < 0)
        {
            return body;
        }

        var empty = body.AsSpan(open + 1).Trim(" \n\r\t"u8).StartsWith("}"u8);
        return [.. body[..(open + 1)], .. field, .. empty ? [] : Raw(", "), .. body[(open + 1)..]];
    }

    private static byte[] DuplicateFirstKey(byte[] body)
    {
        var node = JsonNode.Parse(body) as JsonObject;
        if (node is null || node.Count == 0)
        {
            return body;
        }

        var (key, value) = node.First();
        return Prepend(body, Raw($"\"{key}\": {Json(value)}"));
    }
}
