namespace Quiver.Store.Filtering;

/// <summary>The field is present with the JSON value null (<see cref="IsEmptyCondition"/> also matches absent fields).</summary>
public sealed record IsNullCondition(string Key) : Condition;
