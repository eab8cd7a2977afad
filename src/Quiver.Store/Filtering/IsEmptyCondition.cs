namespace Quiver.Store.Filtering;

/// <summary>The field is absent, null, or an empty array.</summary>
public sealed record IsEmptyCondition(string Key) : Condition;
