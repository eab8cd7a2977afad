using System.Text.Json;
using Quiver.Store.Filtering;

namespace Quiver.Store.Index;

/// <summary>
/// The indexed payload fields of a collection held in memory, one value per node (a number, or a string for keyword
/// fields), so a filter on them is answered by a scan of compact columns instead of a SQL query over every payload.
/// Filters that touch any field without a column, or conditions the columns cannot answer, are left to SQLite.
/// </summary>
internal sealed class PayloadColumns
{
    private readonly Dictionary<string, (PayloadIndexKind Kind, List<double> Numbers, List<string?> Keywords)> _columns = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Fields => _columns.Keys;

    public void AddField(string field, PayloadIndexKind kind, int nodes)
    {
        var numbers = new List<double>(nodes);
        var keywords = new List<string?>(nodes);
        for (var i = 0; i < nodes; i++)
        {
            numbers.Add(double.NaN);
            keywords.Add(null);
        }

        _columns[field] = (kind, numbers, keywords);
    }

    /// <summary>Appends a node's values (SQLite json_extract results, in <see cref="Fields"/> order of the caller's query).</summary>
    public void Append(Func<string, object?> valueOf)
    {
        foreach (var (field, (_, numbers, keywords)) in _columns)
        {
            var value = valueOf(field);
            numbers.Add(value is long l ? l : value is double d ? d : double.NaN);
            keywords.Add(value as string);
        }
    }

    public void Set(string field, int node, object? value)
    {
        var (_, numbers, keywords) = _columns[field];
        numbers[node] = value is long l ? l : value is double d ? d : double.NaN;
        keywords[node] = value as string;
    }

    /// <summary>Keeps the rows of the given nodes, in that order (after a compaction renumbers nodes).</summary>
    public void Keep(IReadOnlyList<int> nodes)
    {
        foreach (var field in _columns.Keys.ToList())
        {
            var (kind, numbers, keywords) = _columns[field];
            _columns[field] = (kind, nodes.Select(n => numbers[n]).ToList(), nodes.Select(n => keywords[n]).ToList());
        }
    }

    /// <summary>The nodes (among <paramref name="live"/>) the filter keeps, or null when the columns cannot answer it.</summary>
    public NodeSet? TryMatch(PayloadFilter filter, int nodes, Func<int, bool> live)
    {
        var predicate = Compile(filter);
        if (predicate is null)
        {
            return null;
        }

        var set = new NodeSet(nodes);
        for (var node = 0; node < nodes; node++)
        {
            if (live(node) && predicate(node))
            {
                set.Add(node);
            }
        }

        return set;
    }

    private Func<int, bool>? Compile(PayloadFilter filter)
    {
        var must = (filter.Must ?? []).Select(Compile).ToList();
        var should = (filter.Should ?? []).Select(Compile).ToList();
        var mustNot = (filter.MustNot ?? []).Select(Compile).ToList();
        if (must.Concat(should).Concat(mustNot).Any(p => p is null))
        {
            return null;
        }

        return node => must.All(p => p!(node)) && (should.Count == 0 || should.Any(p => p!(node))) && !mustNot.Any(p => p!(node));
    }

    private Func<int, bool>? Compile(Condition condition)
    {
        switch (condition)
        {
            case NestedFilterCondition nested:
                return Compile(nested.Filter);
            case FieldCondition c when _columns.TryGetValue(c.Key, out var column):
                return Equality(column, [c.Value]);
            case MatchAnyCondition c when _columns.TryGetValue(c.Key, out var column):
                return Equality(column, c.Values);
            case RangeCondition c when _columns.TryGetValue(c.Key, out var column) && column.Kind != PayloadIndexKind.Keyword:
                var numbers = column.Numbers;
                double gt = c.Gt ?? double.NegativeInfinity, gte = c.Gte ?? double.NegativeInfinity;
                double lt = c.Lt ?? double.PositiveInfinity, lte = c.Lte ?? double.PositiveInfinity;
                return node =>
                {
                    var v = numbers[node];
                    return !double.IsNaN(v) && v > gt && v >= gte && v < lt && v <= lte;
                };
            default:
                return null;
        }
    }

    private static Func<int, bool>? Equality((PayloadIndexKind Kind, List<double> Numbers, List<string?> Keywords) column, IReadOnlyList<System.Text.Json.Nodes.JsonValue> values)
    {
        var elements = values.Select(v => JsonSerializer.SerializeToElement(v)).ToList();
        if (elements.All(e => e.ValueKind == JsonValueKind.String))
        {
            var wanted = elements.Select(e => e.GetString()).ToHashSet(StringComparer.Ordinal);
            var keywords = column.Keywords;
            return node => keywords[node] is { } k && wanted.Contains(k);
        }

        if (elements.All(e => e.ValueKind == JsonValueKind.Number))
        {
            var wanted = elements.Select(e => e.GetDouble()).ToHashSet();
            var numbers = column.Numbers;
            return node => wanted.Contains(numbers[node]);
        }

        // Booleans and mixed lists: SQLite answers them.
        return null;
    }
}
