using Quiver.Store.Collections;

namespace Quiver.Server.Collections;

/// <summary>
/// A seeded sample of at most <c>limit</c> points of a collection, in id order: reservoir sampling over the id-ordered
/// stream, so memory is the sample's, not the collection's. The map, the clusters and the outliers of the same
/// collection state, seed and limit draw the same points, so the explorer can colour the map by either.
/// </summary>
internal sealed record CollectionSample(long Sequence, long Total, IReadOnlyList<Point> Points)
{
    public bool Sampled => Total > Points.Count;

    public static CollectionSample Draw(Collection collection, int limit, int seed)
    {
        // The sequence is read before the points: a write landing in between makes the answer look older than it is,
        // which only costs a recomputation, never a stale answer presented as current.
        var sequence = collection.Sequence();
        var random = new Random(seed);
        var sample = new List<Point>(Math.Min(limit, 1 << 16));
        long seen = 0;
        foreach (var point in collection.ReadAll())
        {
            seen++;
            if (sample.Count < limit)
            {
                sample.Add(point);
            }
            else
            {
                var slot = random.NextInt64(seen);
                if (slot < limit)
                {
                    sample[(int)slot] = point;
                }
            }
        }

        // Id order again after sampling, so the same sample always reaches the analysis in the same order.
        sample.Sort((a, b) => a.Id.Length != b.Id.Length ? a.Id.Length.CompareTo(b.Id.Length) : string.CompareOrdinal(a.Id, b.Id));
        return new CollectionSample(sequence, seen, sample);
    }
}
