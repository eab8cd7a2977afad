using Quiver.Analysis.Clustering;

namespace Quiver.Analysis.Topics;

/// <summary>
/// Topics for clusters by class-based TF-IDF, the weighting BERTopic introduced (Grootendorst 2022): all texts of a
/// cluster form one document; a word's weight in cluster c is its share of c's words times log(1 + A / f), where f is
/// its count over all clusters and A the average number of words per cluster. Words frequent in one cluster and
/// rare elsewhere rise to the top. Each topic also names the points nearest its cluster's centre.
/// </summary>
public static class ClassTfIdf
{
    /// <param name="texts">Each point's text (null or empty for none).</param>
    /// <param name="labels">Each point's cluster; −1 (noise) gets a topic of its own.</param>
    /// <param name="vectors">The points' vectors (row-major), for representatives; null to name none.</param>
    public static IReadOnlyList<Topic> Describe(
        IReadOnlyList<string?> texts, int[] labels, float[]? vectors, int dimensions, int keywords = 10, int representatives = 3)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(labels);
        if (texts.Count != labels.Length)
        {
            throw new ArgumentException($"{texts.Count} texts for {labels.Length} labels; give one text per point.", nameof(texts));
        }

        var clusters = labels.Distinct().Order().ToList();
        var counts = clusters.ToDictionary(c => c, _ => new Dictionary<string, int>(StringComparer.Ordinal));
        var totals = new Dictionary<string, int>(StringComparer.Ordinal);
        long words = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            foreach (var word in TopicTokenizer.Words(texts[i] ?? string.Empty))
            {
                var own = counts[labels[i]];
                own[word] = own.GetValueOrDefault(word) + 1;
                totals[word] = totals.GetValueOrDefault(word) + 1;
                words++;
            }
        }

        var average = (double)words / clusters.Count;
        var nearest = vectors is null ? null : Nearest(vectors, dimensions, labels, representatives);
        return [.. clusters.Select(c =>
        {
            var own = counts[c];
            var size = own.Values.Sum();
            var top = own
                .Select(kv => new TopicKeyword(kv.Key, (double)kv.Value / size * Math.Log(1 + (average / totals[kv.Key]))))
                .OrderByDescending(k => k.Weight)
                .ThenBy(k => k.Word, StringComparer.Ordinal)
                .Take(keywords)
                .ToList();
            return new Topic(c, labels.Count(l => l == c), top, nearest?.GetValueOrDefault(c) ?? []);
        })];
    }

    // The points of each cluster nearest the mean of its points, nearest first (ties by index).
    private static Dictionary<int, IReadOnlyList<int>> Nearest(float[] vectors, int dimensions, int[] labels, int count)
    {
        var data = new PointMatrix(vectors, dimensions);
        var codes = labels.Distinct().Order().ToList();
        var index = codes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var coded = labels.Select(l => index[l]).ToArray();
        var centers = KMeans.Centroids(data, coded, codes.Count);
        var norms = NearestCentroid.Norms(centers, codes.Count, dimensions);
        return codes.ToDictionary(c => c, c =>
        {
            var code = index[c];
            var center = centers.AsSpan(code * dimensions, dimensions).ToArray();
            return (IReadOnlyList<int>)Enumerable.Range(0, labels.Length)
                .Where(i => coded[i] == code)
                .OrderBy(i => data.SquaredDistance(i, center, norms[code]))
                .ThenBy(i => i)
                .Take(count)
                .ToList();
        });
    }
}
