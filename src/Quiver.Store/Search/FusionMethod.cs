namespace Quiver.Store.Search;

/// <summary>How a hybrid search merges its dense and keyword rankings.</summary>
public enum FusionMethod
{
    /// <summary>Reciprocal rank fusion: the sum over both rankings of 1 / (k + rank). Needs no score calibration.</summary>
    ReciprocalRank,

    /// <summary>
    /// A weighted sum of the two sides' scores, each min-max normalised to [0, 1] over its own candidates (a point
    /// missing from one side gets 0 there): weight × keyword + (1 − weight) × dense.
    /// </summary>
    WeightedSum,
}
