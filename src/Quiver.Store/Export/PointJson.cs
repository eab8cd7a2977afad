using System.Text.Json;
using Quiver.Store.Collections;

namespace Quiver.Store.Export;

/// <summary>A point as one JSON object, as the JSONL export and the .npy export's points file write it.</summary>
internal static class PointJson
{
    public static void Write(Utf8JsonWriter json, Point point, bool withVector, long? row = null)
    {
        json.WriteStartObject();
        if (row is { } r)
        {
            json.WriteNumber("row", r);
        }

        json.WriteString("id", point.Id);
        if (withVector)
        {
            json.WriteStartArray("vector");
            foreach (var value in point.Vector)
            {
                json.WriteNumberValue(value);
            }

            json.WriteEndArray();
        }

        if (point.Payload is not null)
        {
            json.WritePropertyName("payload");
            point.Payload.WriteTo(json);
        }

        if (point.Text is not null)
        {
            json.WriteString("text", point.Text);
        }

        json.WriteEndObject();
    }
}
