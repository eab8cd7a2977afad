namespace Quiver.Models.Static;

/// <summary>How a text's word vectors become one sentence vector.</summary>
public enum StaticPooling
{
    /// <summary>The plain average of the known words' vectors.</summary>
    Mean,

    /// <summary>
    /// Smooth inverse frequency (Arora, Liang and Ma, 2017): words weighted a/(a + p(w)), then the common component
    /// fitted on a reference corpus removed.
    /// </summary>
    Sif,
}
