namespace Quiver.Store.Duplicates;

/// <summary>Two points at or above the threshold, <see cref="First"/> before <see cref="Second"/> in id order.</summary>
public sealed record DuplicatePair(string First, string Second, float Similarity);
