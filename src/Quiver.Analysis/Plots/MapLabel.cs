namespace Quiver.Analysis.Plots;

/// <summary>A text drawn on a map at a place, such as a cluster's topic name at the cluster's middle.</summary>
public sealed record MapLabel(double X, double Y, string Text)
{
    /// <summary>
    /// One label per group, placed at the median of its points (a median stays inside a group that a few far points
    /// would pull a mean away from). Points whose group is null get none.
    /// </summary>
    public static IReadOnlyList<MapLabel> AtMedians(IReadOnlyList<float[]> points, IReadOnlyList<string?> groups)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(groups);
        if (points.Count != groups.Count)
        {
            throw new ArgumentException($"{points.Count} points but {groups.Count} groups; give one group per point.", nameof(groups));
        }

        return points
            .Select((p, i) => (Point: p, Group: groups[i]))
            .Where(x => x.Group is not null)
            .GroupBy(x => x.Group!, StringComparer.Ordinal)
            .Select(g => new MapLabel(Median(g.Select(x => (double)x.Point[0])), Median(g.Select(x => (double)x.Point[1])), g.Key))
            .ToList();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
