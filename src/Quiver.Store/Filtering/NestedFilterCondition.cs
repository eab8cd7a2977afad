namespace Quiver.Store.Filtering;

/// <summary>A whole filter used as one condition, for (a AND b) OR c shapes.</summary>
public sealed record NestedFilterCondition(PayloadFilter Filter) : Condition;
