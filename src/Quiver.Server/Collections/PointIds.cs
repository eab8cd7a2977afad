using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Quiver.Server.Http;

namespace Quiver.Server.Collections;

/// <summary>
/// Qdrant's point ids (unsigned integers or UUIDs) and the string ids Quiver stores: an integer is kept as its
/// decimal digits, a UUID in its lower-case hyphenated form, so one point never gets two ids.
/// </summary>
internal static class PointIds
{
    public static string Parse(JsonNode? node, string path)
    {
        switch (node?.GetValueKind())
        {
            case JsonValueKind.Number when node.AsValue().TryGetValue<ulong>(out var number):
                return number.ToString(CultureInfo.InvariantCulture);
            case JsonValueKind.String when TryParseUuid(node.GetValue<string>(), out var uuid):
                return uuid.ToString("D");
            default:
                throw ApiException.BadRequest(Unparsable(node), path);
        }
    }

    /// <summary>The stored id of a typed request's id, which the request must give.</summary>
    public static string Given(PointId? id, string path) => id?.Value ?? throw ApiException.BadRequest(Unparsable(null), path);

    /// <summary>Why <paramref name="node"/> is no point id, as Qdrant words it.</summary>
    public static string Unparsable(JsonNode? node) =>
        $"Unable to parse point id {node?.ToJsonString() ?? "null"}: a point id is an unsigned integer or a UUID string.";

    /// <summary>
    /// An id written in a URL path: the decimal digits of an unsigned integer exactly ("+1", " 1" and "01" are
    /// refused, so one point has one address), or a UUID.
    /// </summary>
    public static string ParsePath(string id, string path) =>
        IsCanonicalInteger(id, out var number) ? number.ToString(CultureInfo.InvariantCulture) : Parse(JsonValue.Create(id), path);

    // The forms Qdrant's UUID parser reads (hyphenated, simple, braced), without the whitespace Guid's parsers trim.
    public static bool TryParseUuid(string text, out Guid uuid)
    {
        uuid = Guid.Empty;
        return text.Length > 0 && !char.IsWhiteSpace(text[0]) && !char.IsWhiteSpace(text[^1])
            && (Guid.TryParseExact(text, "D", out uuid) || Guid.TryParseExact(text, "N", out uuid) || Guid.TryParseExact(text, "B", out uuid));
    }

    public static List<string> ParseMany(JsonArray array, string path, int limit)
    {
        if (array.Count > limit)
        {
            throw ApiException.BadRequest($"has {array.Count} ids; one request takes at most {limit}.", path);
        }

        return [.. array.Select((node, i) => Parse(node, $"{path}[{i}]"))];
    }

    /// <summary>A stored id as Qdrant shows it: a number when it is a canonical unsigned integer, else the string.</summary>
    public static JsonNode ToJson(string id) =>
        IsCanonicalInteger(id, out var number) ? JsonValue.Create(number) : JsonValue.Create(id);

    private static bool IsCanonicalInteger(string id, out ulong number)
    {
        number = 0;
        return id.Length is > 0 and <= 20 && id.All(char.IsAsciiDigit) && (id.Length == 1 || id[0] != '0')
            && ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
