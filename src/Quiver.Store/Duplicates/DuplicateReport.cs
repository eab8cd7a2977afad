namespace Quiver.Store.Duplicates;

/// <summary>The near-duplicate pairs found and the groups they form, largest group first.</summary>
public sealed record DuplicateReport(long Points, IReadOnlyList<DuplicatePair> Pairs, IReadOnlyList<DuplicateGroup> Groups);
