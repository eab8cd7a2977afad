using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Quiver.Core;
using Quiver.Store.Filtering;

namespace Quiver.Store.Storage;

/// <summary>Translates a <see cref="PayloadFilter"/> into a SQL condition over the points table's JSON payload.</summary>
internal sealed class FilterSql(SqliteCommand command, IReadOnlyDictionary<string, PayloadIndexKind>? indexed)
{
    private int _parameters;

    /// <summary>" WHERE ..." for a filter, or an empty string when there is nothing to filter.</summary>
    /// <param name="indexed">Payload fields with an expression index: conditions on them are written so SQLite uses it.</param>
    public static string Where(PayloadFilter? filter, SqliteCommand command, IReadOnlyDictionary<string, PayloadIndexKind>? indexed = null) =>
        filter is null || filter.IsEmpty ? string.Empty : " WHERE " + new FilterSql(command, indexed).Filter(filter);

    /// <summary>The exact SQL expression an index on <paramref name="key"/> is built on (queries must repeat it verbatim).</summary>
    public static string IndexedExpression(string key) => $"json_extract(payload, '{PayloadFilter.JsonPath(key).Replace("'", "''", StringComparison.Ordinal)}')";

    // Under a NOT, an indexed comparison with a missing field is NULL and would drop the point; the general form
    // treats a missing field as "does not match", so negations never use the index rewrite.
    private string Filter(PayloadFilter filter, bool negated = false)
    {
        var parts = new List<string>();
        parts.AddRange((filter.Must ?? []).Select(c => Condition(c, negated)));
        if (filter.Should is { Count: > 0 } should)
        {
            parts.Add("(" + string.Join(" OR ", should.Select(c => Condition(c, negated))) + ")");
        }

        parts.AddRange((filter.MustNot ?? []).Select(c => "NOT " + Condition(c, negated: true)));
        return parts.Count == 0 ? "1" : "(" + string.Join(" AND ", parts) + ")";
    }

    private string Condition(Condition condition, bool negated) => condition switch
    {
        NestedFilterCondition c => Filter(c.Filter, negated),
        _ when negated => General(condition),
        _ => Indexed(condition) ?? General(condition),
    };

    private string? Indexed(Condition condition) => condition switch
    {
        FieldCondition c when IsIndexed(c.Key) => $"({IndexedExpression(c.Key)} = {Parameter(PayloadFilter.SqlValue(c.Key, c.Value).Value)})",
        MatchAnyCondition c when c.Values.Count > 0 && IsIndexed(c.Key) =>
            $"({IndexedExpression(c.Key)} IN ({string.Join(", ", c.Values.Select(v => Parameter(PayloadFilter.SqlValue(c.Key, v).Value)))}))",
        RangeCondition c when IsIndexed(c.Key) => IndexedRange(c),
        _ => null,
    };

    private string General(Condition condition) => condition switch
    {
        FieldCondition c => AnyElement(c.Key, [Equals(c.Key, c.Value)]),
        MatchAnyCondition c when c.Values.Count == 0 => "0",
        MatchAnyCondition c => AnyElement(c.Key, c.Values.Select(v => Equals(c.Key, v)).ToList()),
        RangeCondition c => AnyElement(c.Key, [Range(c)]),
        IsNullCondition c => $"(json_type(points.payload, {Path(c.Key)}) = 'null')",
        IsEmptyCondition c => IsEmpty(c.Key),
        _ => throw new QuiverException($"The filter condition {condition.GetType().Name} is not supported."),
    };

    // json_each visits the elements of an array and the value itself otherwise, so arrays match on any element.
    private string AnyElement(string key, IReadOnlyList<string> tests)
    {
        var path = Path(key);
        return $"(json_type(points.payload, {path}) <> 'object' AND EXISTS (SELECT 1 FROM json_each(points.payload, {path}) je WHERE {string.Join(" OR ", tests)}))";
    }

    private string Equals(string key, System.Text.Json.Nodes.JsonValue value)
    {
        var (types, sqlValue) = PayloadFilter.SqlValue(key, value);
        return $"(je.type IN ({string.Join(", ", types.Select(t => $"'{t}'"))}) AND je.value = {Parameter(sqlValue)})";
    }

    private string Range(RangeCondition c)
    {
        if (c.Gt is null && c.Gte is null && c.Lt is null && c.Lte is null)
        {
            throw new QuiverException($"The range filter on '{c.Key}' has no bound; give at least one of gt, gte, lt, lte.");
        }

        var sql = new StringBuilder("(je.type IN ('integer', 'real')");
        void Bound(double? value, string op)
        {
            if (value is { } v)
            {
                if (!double.IsFinite(v))
                {
                    throw new QuiverException($"The range filter on '{c.Key}' has a bound of {v}; bounds must be finite numbers.");
                }

                sql.Append(CultureInfo.InvariantCulture, $" AND je.value {op} {Parameter(v)}");
            }
        }

        Bound(c.Gt, ">");
        Bound(c.Gte, ">=");
        Bound(c.Lt, "<");
        Bound(c.Lte, "<=");
        return sql.Append(')').ToString();
    }

    private bool IsIndexed(string key) => indexed is not null && indexed.ContainsKey(key);

    private string IndexedRange(RangeCondition c)
    {
        var expression = IndexedExpression(c.Key);
        var bounds = new List<string> { $"json_type(payload, '{PayloadFilter.JsonPath(c.Key).Replace("'", "''", StringComparison.Ordinal)}') IN ('integer', 'real')" };
        foreach (var (value, op) in new[] { (c.Gt, ">"), (c.Gte, ">="), (c.Lt, "<"), (c.Lte, "<=") })
        {
            if (value is { } v)
            {
                bounds.Add($"{expression} {op} {Parameter(v)}");
            }
        }

        if (bounds.Count == 1)
        {
            throw new QuiverException($"The range filter on '{c.Key}' has no bound; give at least one of gt, gte, lt, lte.");
        }

        return "(" + string.Join(" AND ", bounds) + ")";
    }

    private string IsEmpty(string key)
    {
        var path = Path(key);
        return $"(json_type(points.payload, {path}) IS NULL OR json_type(points.payload, {path}) = 'null' OR " +
               $"(json_type(points.payload, {path}) = 'array' AND json_array_length(points.payload, {path}) = 0))";
    }

    private string Path(string key) => Parameter(PayloadFilter.JsonPath(key));

    private string Parameter(object? value)
    {
        var name = $"$f{_parameters++}";
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return name;
    }
}
