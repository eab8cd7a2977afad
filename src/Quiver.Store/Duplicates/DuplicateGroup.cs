namespace Quiver.Store.Duplicates;

/// <summary>
/// Points joined by near-duplicate pairs (transitively), in id order; <see cref="Keep"/> is the first, the one a
/// clean-up keeps. <see cref="LeastSimilarity"/> is the weakest pair that joined the group.
/// </summary>
public sealed record DuplicateGroup(IReadOnlyList<string> Ids, float LeastSimilarity)
{
    public string Keep => Ids[0];

    public IEnumerable<string> Others => Ids.Skip(1);
}
