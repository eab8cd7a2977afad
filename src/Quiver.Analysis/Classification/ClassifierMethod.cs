namespace Quiver.Analysis.Classification;

/// <summary>How a classifier decides.</summary>
public enum ClassifierMethod
{
    /// <summary>Multinomial logistic regression (softmax, L2), fitted with L-BFGS.</summary>
    Logistic,

    /// <summary>k nearest training vectors by cosine; probabilities are the shares of their votes.</summary>
    Knn,

    /// <summary>No training: cosine to an embedded description of each label, softmax with a temperature.</summary>
    ZeroShot,
}
