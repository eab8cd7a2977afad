namespace Quiver.Models.Static;

/// <summary>
/// The parameters of SIF pooling: the smoothing constant a, and the unit-length common component removed from
/// every sentence vector (null to skip removal), with a note of the corpus it was fitted on.
/// </summary>
public sealed record SifParameters(float A, float[]? CommonComponent, string FittedOn)
{
    /// <summary>The value of a the SIF paper recommends for GloVe-sized vocabularies.</summary>
    public const float DefaultA = 1e-3f;
}
