using Quiver.Analysis.Projection;

namespace Quiver.Analysis.Outliers;

/// <summary>
/// Outlier scores from each point's k nearest neighbours by Euclidean distance (give unit vectors to rank by cosine).
/// Higher is more of an outlier under both methods; LOF's scores equal scikit-learn's
/// <c>-LocalOutlierFactor(n_neighbors=k).fit(X).negative_outlier_factor_</c> up to float32 distances and the order of tied
/// neighbours.
/// </summary>
public static class OutlierScores
{
    public static double[] Compute(IReadOnlyList<float[]> vectors, int k, OutlierMethod method = OutlierMethod.Lof, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ProjectionInput.Check(vectors, 2, "Outlier scores");
        if (k < 1)
        {
            throw new Core.QuiverException($"The neighbourhood size k must be 1 or more; got {k}.");
        }

        if (k >= vectors.Count)
        {
            throw new Core.QuiverException($"The neighbourhood size k = {k} needs more than {k} points; there are {vectors.Count}. Give a smaller k (-k {Math.Max(1, vectors.Count - 1)}) or more points.");
        }

        var graph = NeighbourGraph.Exact(vectors, k, cancellationToken: cancellationToken);
        return method == OutlierMethod.Lof ? LocalOutlierFactor(graph) : MeanDistance(graph);
    }

    private static double[] MeanDistance(NeighbourGraph graph)
    {
        var k = graph.K;
        var scores = new double[graph.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            double sum = 0;
            for (var j = 0; j < k; j++)
            {
                sum += graph.Distances[(i * k) + j];
            }

            scores[i] = sum / k;
        }

        return scores;
    }

    // LOF(p) = mean over neighbours o of lrd(o) / lrd(p), with lrd(p) = 1 / mean over o of reach(p, o) and
    // reach(p, o) = max(k-distance(o), d(p, o)). The 1e-10 keeps a point with k exact duplicates finite, as
    // scikit-learn does.
    private static double[] LocalOutlierFactor(NeighbourGraph graph)
    {
        var n = graph.Count;
        var k = graph.K;
        var kDistance = new double[n];
        for (var i = 0; i < n; i++)
        {
            kDistance[i] = graph.Distances[(i * k) + k - 1];
        }

        var lrd = new double[n];
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            for (var j = 0; j < k; j++)
            {
                var o = graph.Indices[(i * k) + j];
                sum += Math.Max(kDistance[o], graph.Distances[(i * k) + j]);
            }

            lrd[i] = 1 / ((sum / k) + 1e-10);
        }

        var scores = new double[n];
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            for (var j = 0; j < k; j++)
            {
                sum += lrd[graph.Indices[(i * k) + j]];
            }

            scores[i] = sum / k / lrd[i];
        }

        return scores;
    }
}
