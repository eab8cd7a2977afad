namespace Quiver.Store.Filtering;

/// <summary>One test on a point's payload; the filter combines them (must, should, must not).</summary>
public abstract record Condition;
