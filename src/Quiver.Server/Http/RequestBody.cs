using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Quiver.Server.Http;

/// <summary>
/// A request body as a typed request: checked and buffered as every body is (<see cref="JsonBody"/>), its fields'
/// memory reserved, then read by the source-generated metadata of <see cref="RequestJsonContext"/>. A value of the
/// wrong type is refused with its JSON path and what the field takes (<c>searches[1].limit: must be a whole number,
/// not a string.</c>); fields the type does not have are skipped unread.
/// </summary>
internal static class RequestBody
{
    /// <summary>
    /// The body as <typeparamref name="T"/>. The memory its fields take is reserved first, waiting for room like the
    /// body itself did, so a large request waits its turn instead of being refused halfway.
    /// </summary>
    public static async Task<T> Read<T>(HttpContext context, ServerLimits limits, JsonTypeInfo<T> type, bool allowEmpty = false)
    {
        var json = await JsonBody.ReadObject(context, limits, allowEmpty);
        await json.Reserve(limits.BodyMemoryWait, context.RequestAborted, [.. type.Properties.Select(p => p.Name)]);
        return Parse(json.Utf8.Span, type);
    }

    /// <summary>Checked JSON (an empty body reads as {}) as <typeparamref name="T"/>, or a 400 naming the value at fault.</summary>
    public static T Parse<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> type)
    {
        var body = utf8.IsEmpty ? "{}"u8 : utf8;
        try
        {
            return JsonSerializer.Deserialize(body, type)!;
        }
        catch (JsonException e)
        {
            throw Refusal(e, body, type);
        }
    }

    /// <summary>
    /// An object inside a request, kept as JSON until its shape was known (a recommendation inside a query), as
    /// <typeparamref name="T"/>; its errors' paths start with <paramref name="at"/> ("query.recommend.").
    /// </summary>
    public static T Parse<T>(JsonNode json, JsonTypeInfo<T> type, string at)
    {
        try
        {
            return Parse(Encoding.UTF8.GetBytes(json.ToJsonString()), type);
        }
        catch (ApiException e)
        {
            throw new ApiException(e.Status, e.Message, e.Param is null ? at.TrimEnd('.') : at + e.Param, e.Code);
        }
    }

    private static ApiException Refusal(JsonException e, ReadOnlySpan<byte> body, JsonTypeInfo root)
    {
        var segments = Segments(e.Path);
        var path = string.Concat(segments.Select((s, i) => s is int index ? $"[{index}]" : i == 0 ? (string)s : "." + s));
        if (e is RequestFieldException field)
        {
            path += field.Suffix;
            return ApiException.BadRequest(field.Message, path.Length == 0 ? null : path);
        }

        return ApiException.BadRequest($"must be {Expected(root, segments)}, not {Actual(body, segments)}.", path.Length == 0 ? null : path);
    }

    // System.Text.Json's path ("$.points[0].vector", "$['odd key']") as property names and array indices.
    private static List<object> Segments(string? path)
    {
        var segments = new List<object>();
        var i = 1;
        while (path is not null && i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['", StringComparison.Ordinal))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                segments.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                segments.Add(int.Parse(path.AsSpan(i + 1, end - i - 1), CultureInfo.InvariantCulture));
                i = end + 1;
            }
            else
            {
                break;
            }
        }

        return segments;
    }

    // What the typed request takes at the path, worded as the hand-written reads worded it.
    private static string Expected(JsonTypeInfo root, List<object> segments)
    {
        var info = root;
        JsonPropertyInfo? property = null;
        foreach (var segment in segments)
        {
            property = segment is string name && info.Kind == JsonTypeInfoKind.Object ? info.Properties.FirstOrDefault(p => p.Name == name) : null;
            var next = property?.PropertyType ?? info.ElementType;
            if (next is null)
            {
                return "a valid value";
            }

            info = info.Options.GetTypeInfo(next);
        }

        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        var expected = property?.AttributeProvider?.GetCustomAttributes(typeof(ExpectedAttribute), inherit: false).OfType<ExpectedAttribute>().FirstOrDefault()
            ?? type.GetCustomAttribute<ExpectedAttribute>();
        if (expected is not null)
        {
            return expected.Description;
        }

        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(uint) || type == typeof(ulong) => "a whole number",
            _ when type == typeof(float) || type == typeof(double) => "a number",
            _ => info.Kind switch
            {
                JsonTypeInfoKind.Enumerable => "an array",
                JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
                _ => "a valid value",
            },
        };
    }

    // What the body holds at the path: the refused value's JSON type.
    private static string Actual(ReadOnlySpan<byte> body, List<object> segments)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = RequestTypes.MaxDepth });
        reader.Read();
        foreach (var segment in segments)
        {
            if (!Enter(ref reader, segment))
            {
                return "null";
            }
        }

        return RequestFieldException.Describe(reader.TokenType);
    }

    private static bool Enter(ref Utf8JsonReader reader, object segment)
    {
        if (segment is string name)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var found = reader.ValueTextEquals(name);
                reader.Read();
                if (found)
                {
                    return true;
                }

                reader.Skip();
            }

            return false;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            if (i == (int)segment)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }
}
