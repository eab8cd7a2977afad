using Quiver.Analysis.Clustering;

namespace Quiver.Cli.Commands;

/// <summary>What <c>quiver cluster</c> found: each point's cluster (−1 noise), and the fit it came from.</summary>
internal sealed record ClusterOutcome(string Method, int[] Labels, int ClusterCount, KMeansResult? KMeans, IReadOnlyList<KScore>? Scores, HdbscanResult? Hdbscan = null);
