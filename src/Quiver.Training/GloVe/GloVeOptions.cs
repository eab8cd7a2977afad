using Quiver.Core;

namespace Quiver.Training.GloVe;

/// <summary>
/// Settings for <see cref="GloVeTrainer"/>. The defaults are those of Stanford's glove tool (vocab_count, cooccur,
/// shuffle and glove, with the vocabulary cut of its demo script), except where a remark says otherwise.
/// </summary>
public sealed record GloVeOptions
{
    /// <summary>Vector dimensions (glove's -vector-size, 50).</summary>
    public int Dimensions { get; init; } = 50;

    /// <summary>Context words counted on each side of a word (cooccur's -window-size, 15).</summary>
    public int Window { get; init; } = 15;

    /// <summary>Count the left context only, as cooccur -symmetric 0 does; the default counts both sides.</summary>
    public bool Symmetric { get; init; } = true;

    /// <summary>Weigh a co-occurrence at distance d by 1/d (cooccur's -distance-weighting 1) instead of 1.</summary>
    public bool DistanceWeighting { get; init; } = true;

    /// <summary>The count above which a pair gets full weight in the loss (glove's -x-max, 100).</summary>
    public double XMax { get; init; } = 100;

    /// <summary>The exponent of the weighting function below x_max (glove's -alpha, 0.75).</summary>
    public double Alpha { get; init; } = 0.75;

    /// <summary>AdaGrad's initial learning rate (glove's -eta, 0.05).</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>Passes over the shuffled co-occurrence records (glove's -iter, 25).</summary>
    public int Iterations { get; init; } = 25;

    /// <summary>Words seen fewer times are left out of the vocabulary (vocab_count -min-count 5, as in glove's demo.sh).</summary>
    public int MinCount { get; init; } = 5;

    /// <summary>Keep at most this many of the most frequent words; 0 keeps all (vocab_count's -max-vocab).</summary>
    public int MaxVocabulary { get; init; }

    /// <summary>Training and counting threads (glove's default is 8; here one per core).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seeds the initial vectors and the shuffle: one thread and one seed give the same vectors every run.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Memory, in MiB, for co-occurrence counting and shuffling (cooccur and shuffle's -memory, 4 GB). Beyond it
    /// counts are spilled to sorted runs on disk and merged. The model itself (2 × vocabulary × (dimensions + 1)
    /// floats, twice for AdaGrad) is not counted, as in glove.
    /// </summary>
    public double MemoryMiB { get; init; } = 4096;

    /// <summary>Throws when a setting is out of range, naming it, its value and what is accepted.</summary>
    public void Validate()
    {
        Require(Dimensions >= 1, nameof(Dimensions), Dimensions, "at least 1");
        Require(Window >= 1, nameof(Window), Window, "at least 1");
        Require(XMax > 0 && double.IsFinite(XMax), nameof(XMax), XMax, "a positive number");
        Require(Alpha >= 0 && double.IsFinite(Alpha), nameof(Alpha), Alpha, "zero or more");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "a positive number");
        Require(Iterations >= 1, nameof(Iterations), Iterations, "at least 1");
        Require(MinCount >= 1, nameof(MinCount), MinCount, "at least 1");
        Require(MaxVocabulary >= 0, nameof(MaxVocabulary), MaxVocabulary, "0 (no limit) or more");
        Require(Threads >= 1, nameof(Threads), Threads, "at least 1");
        Require(MemoryMiB > 0 && double.IsFinite(MemoryMiB), nameof(MemoryMiB), MemoryMiB, "a positive number of MiB");
    }

    private static void Require(bool ok, string name, object value, string accepted)
    {
        if (!ok)
        {
            throw new QuiverException($"GloVe's {name} is {value}; it must be {accepted}.");
        }
    }
}
