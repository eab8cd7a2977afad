namespace Quiver.Analysis.Projection;

/// <summary>Barnes-Hut t-SNE settings. The defaults are scikit-learn's (1.2), so results compare directly.</summary>
public sealed record TsneOptions
{
    /// <summary>The effective number of neighbours each point keeps close; must be below the number of points.</summary>
    public double Perplexity { get; init; } = 30;

    /// <summary>Gradient steps in all, the first <see cref="ExaggerationIterations"/> of them with exaggerated attraction.</summary>
    public int Iterations { get; init; } = 1000;

    public double EarlyExaggeration { get; init; } = 12;

    public int ExaggerationIterations { get; init; } = 250;

    /// <summary>Null chooses max(n / exaggeration / 4, 50), scikit-learn's "auto" (Belkina et al. 2019).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Barnes-Hut accuracy: a cell is summarised when its width over its distance is below this. 0 is exact.</summary>
    public double Theta { get; init; } = 0.5;
}
