using Quiver.Models.Static;

namespace Quiver.Training.GloVe;

/// <summary>What <see cref="GloVeTrainer.Train"/> produced.</summary>
/// <param name="Vectors">Word plus context vector for every vocabulary word, most frequent first.</param>
/// <param name="Costs">The mean weighted squared error of each training pass, in order.</param>
/// <param name="Tokens">Tokens read from the corpus (in and out of the vocabulary).</param>
/// <param name="Cooccurrences">Distinct (word, context) records trained on.</param>
/// <param name="Runs">Sorted runs written while counting (1 per thread when everything fitted in memory).</param>
/// <param name="ShuffledOnDisk">Whether the records were too many for the memory limit and were shuffled and read from disk.</param>
public sealed record GloVeResult(
    WordVectors Vectors,
    IReadOnlyList<double> Costs,
    long Tokens,
    long Cooccurrences,
    int Runs,
    bool ShuffledOnDisk);
