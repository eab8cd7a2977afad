using Quiver.Analysis.Projection;
using Quiver.Store.Collections;

namespace Quiver.Server.Collections;

/// <summary>
/// A collection's points mapped to 2-D or 3-D at one sequence number: ids and coordinates in id order, of every point
/// or of a seeded sample of <c>limit</c> points (reservoir sampling over the id-ordered stream, so memory is the
/// sample's, not the collection's).
/// </summary>
internal sealed record ProjectedCollection(long Sequence, long Total, bool Sampled, IReadOnlyList<string> Ids, ProjectionResult Result, DateTimeOffset ComputedAt)
{
    public static ProjectedCollection Compute(Collection collection, ProjectionOptions options, int limit)
    {
        // The sequence is read before the points: a write landing in between makes the answer look older than it is,
        // which only costs a recomputation, never a stale map presented as current.
        var sequence = collection.Sequence();
        var random = new Random(options.Seed);
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

        // Id order again after sampling, so the same sample always reaches the projection in the same order.
        sample.Sort((a, b) => a.Id.Length != b.Id.Length ? a.Id.Length.CompareTo(b.Id.Length) : string.CompareOrdinal(a.Id, b.Id));
        var result = Projector.Project(sample.Select(p => p.Vector).ToList(), options);
        return new ProjectedCollection(sequence, seen, seen > limit, sample.Select(p => p.Id).ToList(), result, DateTimeOffset.UtcNow);
    }
}
