using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.Collections;
using Quiver.Server.Http;
using Q = Qdrant.Client.Grpc;

namespace Quiver.Server.Grpc;

/// <summary>
/// Payloads between Qdrant's protobuf values and the JSON Quiver stores: integers stay integers (as Qdrant keeps
/// integer and double apart), structs are objects, lists are arrays.
/// </summary>
internal static class GrpcValues
{
    public static JsonObject ToJson(MapField<string, Q.Value> payload, string path)
    {
        var json = new JsonObject();
        foreach (var (key, value) in payload)
        {
            json[key] = ToJson(value, $"{path}.{key}");
        }

        return json;
    }

    public static JsonNode? ToJson(Q.Value value, string path) => value.KindCase switch
    {
        Q.Value.KindOneofCase.NullValue => null,
        Q.Value.KindOneofCase.DoubleValue => Double(value.DoubleValue, path),
        Q.Value.KindOneofCase.IntegerValue => JsonValue.Create(value.IntegerValue),
        Q.Value.KindOneofCase.StringValue => JsonValue.Create(value.StringValue),
        Q.Value.KindOneofCase.BoolValue => JsonValue.Create(value.BoolValue),
        Q.Value.KindOneofCase.StructValue => ToJson(value.StructValue.Fields, path),
        Q.Value.KindOneofCase.ListValue => new JsonArray([.. value.ListValue.Values.Select((v, i) => ToJson(v, $"{path}[{i}]"))]),
        _ => throw ApiException.BadRequest("is a payload value with no kind set: give null, a number, a string, a boolean, a struct or a list.", path),
    };

    // A whole double is written with its ".0", so it reads back as a double (JSON's 1 would come back an integer).
    private static JsonNode Double(double value, string path) =>
        !double.IsFinite(value)
            ? throw ApiException.BadRequest($"is {value}; payload numbers must be finite (JSON has no NaN or infinity).", path)
            : Math.Floor(value) == value && Math.Abs(value) < 1e15
                ? JsonNode.Parse(value.ToString("F1", System.Globalization.CultureInfo.InvariantCulture))!
                : JsonValue.Create(value);

    public static void Fill(MapField<string, Q.Value> target, JsonObject? payload)
    {
        if (payload is null)
        {
            return;
        }

        foreach (var (key, value) in payload)
        {
            target[key] = ToValue(value);
        }
    }

    public static Q.Value ToValue(JsonNode? node)
    {
        switch (node?.GetValueKind())
        {
            case null or JsonValueKind.Null:
                return new Q.Value { NullValue = Q.NullValue.NullValue };
            case JsonValueKind.True or JsonValueKind.False:
                return new Q.Value { BoolValue = node.GetValue<bool>() };
            case JsonValueKind.String:
                return new Q.Value { StringValue = node.GetValue<string>() };
            case JsonValueKind.Number:
                return node.AsValue().TryGetValue<long>(out var whole) && !IsWrittenAsFraction(node)
                    ? new Q.Value { IntegerValue = whole }
                    : new Q.Value { DoubleValue = node.GetValue<double>() };
            case JsonValueKind.Array:
                var list = new Q.ListValue();
                list.Values.AddRange(node.AsArray().Select(ToValue));
                return new Q.Value { ListValue = list };
            default:
                var fields = new Q.Struct();
                Fill(fields.Fields, node.AsObject());
                return new Q.Value { StructValue = fields };
        }
    }

    // 2.0 in stored JSON came in as a double (Qdrant's REST reads it so); 2 as an integer.
    private static bool IsWrittenAsFraction(JsonNode node)
    {
        var text = node.ToJsonString();
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('e', StringComparison.OrdinalIgnoreCase);
    }
}
