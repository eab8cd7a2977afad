using Quiver.Core;

namespace Quiver.Training.Words;

/// <summary>Word2Vec's settings, with the original C tool's defaults (word2vec.c) unless said otherwise.</summary>
public sealed record Word2VecOptions
{
    /// <summary>Vector size (-size 100).</summary>
    public int Dimensions { get; init; } = 100;

    /// <summary>The largest distance to a context word (-window 5); each position draws its own window in [1, Window].</summary>
    public int Window { get; init; } = 5;

    /// <summary>Continuous bag of words (-cbow 1, the C tool's default) rather than skip-gram.</summary>
    public bool Cbow { get; init; } = true;

    /// <summary>Hierarchical softmax over a Huffman tree (-hs 0).</summary>
    public bool HierarchicalSoftmax { get; init; }

    /// <summary>Negative samples per positive one, drawn from unigram^0.75 (-negative 5); 0 turns negative sampling off.</summary>
    public int Negative { get; init; } = 5;

    /// <summary>Subsampling threshold for frequent words (-sample 1e-3); 0 keeps every word.</summary>
    public double Sample { get; init; } = 1e-3;

    /// <summary>Words seen fewer times are left out (-min-count 5).</summary>
    public int MinCount { get; init; } = 5;

    /// <summary>While counting, the vocabulary is pruned of its rarest words whenever it grows past this (the C tool: 21 million).</summary>
    public int MaxVocabulary { get; init; } = 21_000_000;

    /// <summary>Passes over the corpus (-iter 5).</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Training threads, each on its own part of the corpus. The C tool's default is 12; this defaults to the machine's cores.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Starting learning rate (-alpha), decayed linearly to 0.01% of it; null takes the C tool's 0.05 for CBOW and 0.025 for skip-gram.</summary>
    public float? LearningRate { get; init; }

    /// <summary>Seeds the initial weights and each thread's random numbers: with one thread, the same seed gives the same vectors.</summary>
    public ulong Seed { get; init; } = 1;

    public float StartingLearningRate => LearningRate ?? (Cbow ? 0.05f : 0.025f);

    /// <summary>Throws with the offending value when a setting is out of range.</summary>
    public void Validate()
    {
        Check(Dimensions >= 1, $"Dimensions must be at least 1 (got {Dimensions}).");
        Check(Window >= 1, $"The window must be at least 1 (got {Window}).");
        Check(Negative >= 0, $"Negative samples cannot be negative (got {Negative}).");
        Check(HierarchicalSoftmax || Negative > 0, "Neither negative sampling nor hierarchical softmax is on: set Negative > 0 (e.g. 5) or HierarchicalSoftmax.");
        Check(Sample >= 0, $"The subsampling threshold cannot be negative (got {Sample}); 0 turns subsampling off.");
        Check(MinCount >= 1, $"Min-count must be at least 1 (got {MinCount}).");
        Check(MaxVocabulary >= 1, $"The vocabulary limit must be at least 1 (got {MaxVocabulary}).");
        Check(Epochs >= 1, $"Epochs must be at least 1 (got {Epochs}).");
        Check(Threads >= 1, $"Threads must be at least 1 (got {Threads}).");
        Check(StartingLearningRate > 0, $"The learning rate must be positive (got {StartingLearningRate}).");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new QuiverException(message);
        }
    }
}
