using System.Text.Json.Nodes;

namespace Quiver.Store.Filtering;

/// <summary>
/// The payload field at <paramref name="Key"/> (dots separate nested fields: "meta.lang") equals
/// <paramref name="Value"/> (a string, number or boolean). An array field matches when any element equals it.
/// </summary>
public sealed record FieldCondition(string Key, JsonValue Value) : Condition;
