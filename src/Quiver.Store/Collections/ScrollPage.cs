namespace Quiver.Store.Collections;

/// <summary>One page of a scroll through a collection in id order, and the id the next page starts at (null at the end).</summary>
public sealed record ScrollPage(IReadOnlyList<Point> Points, string? NextOffset);
