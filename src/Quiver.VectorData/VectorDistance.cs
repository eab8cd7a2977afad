using Microsoft.Extensions.VectorData;
using Quiver.Core.Distances;

namespace Quiver.VectorData;

/// <summary>
/// A Microsoft.Extensions.VectorData distance function as Quiver computes it: the collection's metric, and how a
/// Quiver score (cosine or dot similarity, Euclidean distance) becomes the score that function reports.
/// </summary>
internal sealed record VectorDistance(string Function, DistanceMetric Metric, bool HigherIsCloser, Func<double, double> FromQuiverScore)
{
    public const string Supported =
        "CosineSimilarity, CosineDistance, DotProductSimilarity, NegativeDotProductSimilarity, EuclideanDistance or EuclideanSquaredDistance";

    public static VectorDistance For(string? function, string property, Type recordType) => function switch
    {
        null or DistanceFunction.CosineSimilarity => new(DistanceFunction.CosineSimilarity, DistanceMetric.Cosine, true, s => s),
        DistanceFunction.CosineDistance => new(function, DistanceMetric.Cosine, false, s => 1 - s),
        DistanceFunction.DotProductSimilarity => new(function, DistanceMetric.Dot, true, s => s),
        DistanceFunction.NegativeDotProductSimilarity => new(function, DistanceMetric.Dot, false, s => -s),
        DistanceFunction.EuclideanDistance => new(function, DistanceMetric.Euclidean, false, s => s),
        DistanceFunction.EuclideanSquaredDistance => new(function, DistanceMetric.Euclidean, false, s => s * s),
        _ => throw new NotSupportedException(
            $"Quiver does not support the distance function '{function}' of vector property '{property}' on {recordType.Name}. Use {Supported}."),
    };

    /// <summary>Whether a result with this score passes <paramref name="threshold"/> (a floor for similarities, a ceiling for distances).</summary>
    public bool Passes(double score, double? threshold) =>
        threshold is not { } t || (HigherIsCloser ? score >= t : score <= t);
}
