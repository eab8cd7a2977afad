namespace Quiver.Training.GloVe;

/// <summary>A progress report from <see cref="GloVeTrainer"/>.</summary>
/// <param name="Stage">The step being run.</param>
/// <param name="Done">Units done in this step: tokens while counting, records while merging, shuffling and training.</param>
/// <param name="Total">Units in this step when known (0 when not, as for tokens).</param>
/// <param name="Iteration">The training pass, from 1; 0 before training.</param>
/// <param name="Iterations">The number of training passes.</param>
/// <param name="Cost">Mean weighted squared error of the last finished pass (NaN before the first ends).</param>
/// <param name="RecordsPerSecond">Training speed over the current pass (0 outside training).</param>
/// <param name="Remaining">Estimated time left for the whole training, when known.</param>
public readonly record struct GloVeProgress(
    GloVeStage Stage,
    long Done,
    long Total,
    int Iteration,
    int Iterations,
    double Cost,
    double RecordsPerSecond,
    TimeSpan? Remaining);
