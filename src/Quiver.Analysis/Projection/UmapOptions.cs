namespace Quiver.Analysis.Projection;

/// <summary>UMAP settings. The defaults are umap-learn's.</summary>
public sealed record UmapOptions
{
    /// <summary>Neighbourhood size, the point itself included (umap-learn's n_neighbors).</summary>
    public int Neighbours { get; init; } = 15;

    /// <summary>How tightly points may pack in the map; with <see cref="Spread"/> it fixes the curve parameters a and b.</summary>
    public double MinDistance { get; init; } = 0.1;

    public double Spread { get; init; } = 1.0;

    /// <summary>Null chooses 500 epochs up to 10,000 points and 200 above, as umap-learn does.</summary>
    public int? Epochs { get; init; }

    public int NegativeSampleRate { get; init; } = 5;

    public double LearningRate { get; init; } = 1.0;
}
