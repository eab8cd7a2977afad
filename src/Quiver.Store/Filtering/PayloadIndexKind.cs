namespace Quiver.Store.Filtering;

/// <summary>
/// The value type of an indexed payload field. An indexed field is treated as holding one scalar per point: filters
/// on it compare that value through a SQLite expression index instead of scanning every payload.
/// </summary>
public enum PayloadIndexKind
{
    /// <summary>Strings (and booleans) compared for equality or membership.</summary>
    Keyword,

    /// <summary>Whole numbers: equality, membership and ranges.</summary>
    Integer,

    /// <summary>Real numbers: equality, membership and ranges.</summary>
    Float,
}
