namespace Quiver.Store.Filtering;

/// <summary>The numeric field lies within the given bounds (any that are set); an array field: any element does.</summary>
public sealed record RangeCondition(string Key, double? Gt = null, double? Gte = null, double? Lt = null, double? Lte = null) : Condition;
