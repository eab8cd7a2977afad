using Quiver.Core;
using Quiver.Core.Distances;
using Quiver.Store.Collections;

namespace Quiver.Store.Duplicates;

/// <summary>
/// Near-duplicate points of a collection by cosine similarity, found through its index: each point's nearest
/// neighbours are searched (the graph, not all pairs), pairs at or above the threshold are kept, and pairs sharing a
/// point are joined into groups (union-find). The points stream from one read snapshot; memory is the pairs found.
/// </summary>
public static class NearDuplicates
{
    public static DuplicateReport Find(Collection collection, DuplicateOptions? options = null, IProgress<(long Done, long Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        options ??= new DuplicateOptions();
        if (options.Threshold is <= -1 or > 1 || double.IsNaN(options.Threshold))
        {
            throw new QuiverException($"The similarity threshold {options.Threshold} is not a cosine; give a number above -1 and at most 1, such as 0.95.");
        }

        if (options.Neighbours < 1)
        {
            throw new QuiverException($"The neighbours per point must be 1 or more; got {options.Neighbours}.");
        }

        var space = collection.Space;
        if (space.Metric == DistanceMetric.Euclidean || (space.Metric == DistanceMetric.Dot && !space.Normalized))
        {
            throw new QuiverException(
                $"Collection '{collection.Name}' compares by {space.Metric.ToString().ToLowerInvariant()} distance{(space.Normalized ? string.Empty : " on vectors that are not unit length")}, so its search scores are not cosines. Near-duplicates need a cosine collection (or dot over unit vectors).");
        }

        var total = collection.Count(options.Filter);
        var pairs = new Dictionary<(string, string), float>();
        long done = 0;
        foreach (var point in collection.ReadAll(options.Filter))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (System.Numerics.Tensors.TensorPrimitives.Norm(point.Vector) == 0)
            {
                continue;
            }

            foreach (var hit in collection.Search(point.Vector, options.Neighbours + 1, options.Filter, exact: options.Exact))
            {
                if (hit.Score < options.Threshold)
                {
                    break;
                }

                if (hit.Id == point.Id)
                {
                    continue;
                }

                var key = Order(point.Id, hit.Id) < 0 ? (point.Id, hit.Id) : (hit.Id, point.Id);
                pairs.TryAdd(key, hit.Score);
            }

            if (++done % 256 == 0)
            {
                progress?.Report((done, total));
            }
        }

        progress?.Report((done, done));
        var found = pairs.Select(p => new DuplicatePair(p.Key.Item1, p.Key.Item2, p.Value))
            .OrderByDescending(p => p.Similarity).ThenBy(p => p.First, IdOrder).ThenBy(p => p.Second, IdOrder).ToList();
        return new DuplicateReport(done, found, Group(found));
    }

    private static List<DuplicateGroup> Group(IReadOnlyList<DuplicatePair> pairs)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        string Root(string id)
        {
            while (parent.TryGetValue(id, out var up) && up != id)
            {
                parent[id] = parent.GetValueOrDefault(up, up);
                id = up;
            }

            return id;
        }

        foreach (var pair in pairs)
        {
            parent.TryAdd(pair.First, pair.First);
            parent.TryAdd(pair.Second, pair.Second);
            var (a, b) = (Root(pair.First), Root(pair.Second));
            if (a != b)
            {
                parent[Order(a, b) < 0 ? b : a] = Order(a, b) < 0 ? a : b;
            }
        }

        var least = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var root = Root(pair.First);
            least[root] = Math.Min(least.GetValueOrDefault(root, 1f), pair.Similarity);
        }

        return parent.Keys.GroupBy(Root)
            .Select(g => new DuplicateGroup(g.OrderBy(id => id, IdOrder).ToList(), least[g.Key]))
            .OrderByDescending(g => g.Ids.Count).ThenBy(g => g.Keep, IdOrder).ToList();
    }

    // The collections' own id order: shorter first, then by text, so integer ids sort numerically.
    private static readonly Comparer<string> IdOrder = Comparer<string>.Create(Order);

    private static int Order(string a, string b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
}
