using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Quiver.Core;

namespace Quiver.Store.Filtering;

/// <summary>Conditions every matching point's payload must meet (all of <see cref="Must"/>).</summary>
public sealed record PayloadFilter(IReadOnlyList<FieldCondition> Must)
{
    public static PayloadFilter Equal(string key, JsonValue value) => new([new FieldCondition(key, value)]);

    /// <summary>Parses "key=value": the value is read as JSON when it is a number, true, false or a quoted string, else as text.</summary>
    public static FieldCondition ParseCondition(string expression)
    {
        var eq = expression.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new QuiverException($"The filter '{expression}' is not of the form key=value (for example lang=en or meta.year=2021).");
        }

        var key = expression[..eq].Trim();
        var text = expression[(eq + 1)..].Trim();
        JsonValue value;
        try
        {
            value = JsonNode.Parse(text) as JsonValue ?? JsonValue.Create(text);
        }
        catch (JsonException)
        {
            value = JsonValue.Create(text);
        }

        return new FieldCondition(key, value);
    }

    /// <summary>The SQL path of a dotted key, each segment quoted: meta.lang → $."meta"."lang".</summary>
    internal static string JsonPath(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Contains('"') || key.Split('.').Any(s => s.Length == 0))
        {
            throw new QuiverException(
                $"The payload key '{key}' is not valid: use field names separated by dots (meta.lang), without empty parts or double quotes.");
        }

        var path = new StringBuilder("$");
        foreach (var segment in key.Split('.'))
        {
            path.Append(".\"").Append(segment).Append('"');
        }

        return path.ToString();
    }

    /// <summary>The json_each types a condition's value may have, and the value to compare in SQL.</summary>
    internal static (string[] Types, object? Value) SqlValue(FieldCondition condition)
    {
        var element = JsonSerializer.SerializeToElement(condition.Value);
        return element.ValueKind switch
        {
            JsonValueKind.String => (["text"], element.GetString()),
            JsonValueKind.True => (["true"], 1),
            JsonValueKind.False => (["false"], 0),
            JsonValueKind.Number when element.TryGetInt64(out var l) => (["integer", "real"], l),
            JsonValueKind.Number => (["integer", "real"], element.GetDouble()),
            _ => throw new QuiverException(
                $"The filter on '{condition.Key}' compares with {element.ValueKind.ToString().ToLowerInvariant()}; equality filters take a string, number or boolean."),
        };
    }
}
