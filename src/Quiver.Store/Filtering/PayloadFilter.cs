using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Quiver.Core;

namespace Quiver.Store.Filtering;

/// <summary>
/// Which points a search or count considers, in Qdrant's terms: every <see cref="Must"/> condition holds, at least
/// one <see cref="Should"/> condition holds (when there are any), and no <see cref="MustNot"/> condition holds.
/// </summary>
public sealed record PayloadFilter(
    IReadOnlyList<Condition>? Must = null,
    IReadOnlyList<Condition>? Should = null,
    IReadOnlyList<Condition>? MustNot = null)
{
    public bool IsEmpty => (Must?.Count ?? 0) + (Should?.Count ?? 0) + (MustNot?.Count ?? 0) == 0;

    public static PayloadFilter Equal(string key, JsonValue value) => new([new FieldCondition(key, value)]);

    /// <summary>
    /// Parses "key=value" (equality), "key!=value", "key&gt;=n", "key&gt;n", "key&lt;=n", "key&lt;n". A value is read as JSON when
    /// it is a number, true, false or a quoted string, else as text.
    /// </summary>
    public static Condition ParseCondition(string expression)
    {
        foreach (var op in new[] { "!=", ">=", "<=", "=", ">", "<" })
        {
            var at = expression.IndexOf(op, StringComparison.Ordinal);
            if (at <= 0)
            {
                continue;
            }

            var key = expression[..at].Trim();
            var text = expression[(at + op.Length)..].Trim();
            if (op is "=" or "!=")
            {
                var condition = new FieldCondition(key, ParseValue(text));
                return op == "=" ? condition : new NestedFilterCondition(new PayloadFilter(MustNot: [condition]));
            }

            if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var bound))
            {
                throw new QuiverException($"The filter '{expression}' compares with '{text}', which is not a number.");
            }

            return op switch
            {
                ">" => new RangeCondition(key, Gt: bound),
                ">=" => new RangeCondition(key, Gte: bound),
                "<" => new RangeCondition(key, Lt: bound),
                _ => new RangeCondition(key, Lte: bound),
            };
        }

        throw new QuiverException(
            $"The filter '{expression}' is not of the form key=value, key!=value, key>n, key>=n, key<n or key<=n (for example lang=en or year>=2020).");
    }

    private static JsonValue ParseValue(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonValue ?? JsonValue.Create(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    /// <summary>The SQL path of a dotted key, each segment quoted: meta.lang → $."meta"."lang".</summary>
    internal static string JsonPath(string key)
    {
        // A control character cannot be in the path: SQLite ends its text at a NUL and fails on the rest.
        if (string.IsNullOrWhiteSpace(key) || key.Contains('"') || key.Any(char.IsControl) || key.Split('.').Any(s => s.Length == 0))
        {
            throw new QuiverException(
                $"The payload key '{Printable(key)}' is not valid: use field names separated by dots (meta.lang), without empty parts, double quotes or control characters.");
        }

        var path = new StringBuilder("$");
        foreach (var segment in key.Split('.'))
        {
            path.Append(".\"").Append(segment).Append('"');
        }

        return path.ToString();
    }

    private static string Printable(string key) =>
        string.Concat(key.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    /// <summary>The json_each types a value may have, and the value to compare in SQL.</summary>
    internal static (string[] Types, object? Value) SqlValue(string key, JsonValue value)
    {
        var element = JsonSerializer.SerializeToElement(value);
        return element.ValueKind switch
        {
            JsonValueKind.String => (["text"], element.GetString()),
            JsonValueKind.True => (["true"], 1),
            JsonValueKind.False => (["false"], 0),
            JsonValueKind.Number when element.TryGetInt64(out var l) => (["integer", "real"], l),
            JsonValueKind.Number => (["integer", "real"], element.GetDouble()),
            _ => throw new QuiverException(
                $"The filter on '{key}' compares with {element.ValueKind.ToString().ToLowerInvariant()}; matches take a string, number or boolean."),
        };
    }
}
