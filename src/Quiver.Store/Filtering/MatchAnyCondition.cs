using System.Text.Json.Nodes;

namespace Quiver.Store.Filtering;

/// <summary>The field equals any of <paramref name="Values"/> (an array field: any element does).</summary>
public sealed record MatchAnyCondition(string Key, IReadOnlyList<JsonValue> Values) : Condition;
