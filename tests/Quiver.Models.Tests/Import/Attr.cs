using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Quiver.Models.Tests.Import;

/// <summary>NodeDef attribute values in the protobuf JSON that tensorflowjs_converter writes.</summary>
internal static class Attr
{
    public static JsonObject I(long value) => new() { ["i"] = value.ToString(CultureInfo.InvariantCulture) };

    public static JsonObject B(bool value) => new() { ["b"] = value };

    /// <summary>A type by name ("DT_FLOAT"); <see cref="TypeNumber"/> writes the enum's number, which the converter also emits.</summary>
    public static JsonObject Type(string name) => new() { ["type"] = name };

    public static JsonObject TypeNumber(int number) => new() { ["type"] = number };

    /// <summary>A string attribute as base64, protobuf JSON's encoding of bytes.</summary>
    public static JsonObject S(string value) => new() { ["s"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) };

    /// <summary>A string attribute as an array of byte values, as the converter's protobufjs output has it.</summary>
    public static JsonObject SBytes(string value) => new() { ["s"] = new JsonArray([.. Encoding.UTF8.GetBytes(value).Select(b => (JsonNode)(int)b)]) };

    public static JsonObject Ints(params long[] values) =>
        new() { ["list"] = new JsonObject { ["i"] = new JsonArray([.. values.Select(v => (JsonNode)v.ToString(CultureInfo.InvariantCulture))]) } };
}
