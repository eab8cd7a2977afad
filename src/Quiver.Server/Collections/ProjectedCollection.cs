using Quiver.Analysis.Projection;
using Quiver.Store.Collections;

namespace Quiver.Server.Collections;

/// <summary>
/// A collection's points mapped to 2-D or 3-D at one sequence number: ids and coordinates in id order, of every point
/// or of a seeded sample of <c>limit</c> points (<see cref="CollectionSample"/>).
/// </summary>
internal sealed record ProjectedCollection(long Sequence, long Total, bool Sampled, IReadOnlyList<string> Ids, ProjectionResult Result, DateTimeOffset ComputedAt)
{
    public static ProjectedCollection Compute(Collection collection, ProjectionOptions options, int limit)
    {
        var sample = CollectionSample.Draw(collection, limit, options.Seed);
        var result = Projector.Project(sample.Points.Select(p => p.Vector).ToList(), options);
        return new ProjectedCollection(sample.Sequence, sample.Total, sample.Sampled, sample.Points.Select(p => p.Id).ToList(), result, DateTimeOffset.UtcNow);
    }
}
