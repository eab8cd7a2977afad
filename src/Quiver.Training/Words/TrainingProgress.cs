namespace Quiver.Training.Words;

/// <summary>How far a training run is: words processed of all epochs, the learning rate now, and the time so far.</summary>
public readonly record struct TrainingProgress(long WordsDone, long WordsTotal, float LearningRate, TimeSpan Elapsed)
{
    public double Fraction => WordsTotal == 0 ? 1 : Math.Min(1, WordsDone / (double)WordsTotal);

    public double WordsPerSecond => Elapsed.TotalSeconds > 0 ? WordsDone / Elapsed.TotalSeconds : 0;

    /// <summary>The time left at the rate so far, or null before there is a rate.</summary>
    public TimeSpan? Remaining => WordsDone > 0 ? TimeSpan.FromSeconds(Elapsed.TotalSeconds * (WordsTotal - WordsDone) / WordsDone) : null;
}
